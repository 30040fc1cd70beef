using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Level3;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Kernels;

/// <summary>
/// Turns a finished tile of -2 X Z^T into f(max(0, |x_i|^2 + |z_j|^2 - 2 x_i.z_j)) in place: the distance
/// completion and the kernel function fused into GEMM, while the tile is in L1.
/// </summary>
/// <remarks>
/// The norms are added to each other first, |x_i|^2 + |z_j|^2, which is commutative in floating point, so
/// K(X, X) comes out exactly symmetric in the Euclidean case (the GEMM's dot products are symmetric too).
/// The clamp is a compare-and-select rather than max, so a NaN distance stays NaN. With
/// <paramref name="selfPairs"/> (X and Z are the same rows), element (i, i) is set from a distance of
/// exactly 0: by expansion it would be a rounding residue of order eps |x|^2, which the square root of
/// the Laplace kernel magnifies to sqrt(eps) |x| (K(i, i) = 0.9997 instead of 1 at d = 100).
/// </remarks>
readonly unsafe struct PairwiseEpilogue<TS, TVec, T, TF>(T* rowNorms, T* colNorms, TF transform, bool selfPairs) : IGemmEpilogue<T>
    where TS : struct, ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
    where TF : struct, IRadialTransform<T>
{
    public static bool IsIdentity => false;

    public void Apply(T* c, nint ldc, int row0, int col0, int rows, int cols)
    {
        int w = TS.Count;
        T* zn = colNorms + col0;
        // The last partial vector of a row goes through the same vector code via a scratch vector, so every
        // element sees the same arithmetic (fused or not) whatever its column: K(X, X) stays symmetric.
        T* tail = stackalloc T[64];
        for (int r = 0; r < rows; r++)
        {
            T* row = c + r * ldc;
            T xs = rowNorms[row0 + r];
            TVec xn = TS.Splat(xs);
            int j = 0;
            for (; j <= cols - w; j += w)
                TS.Store(row + j, Transform(TS.Load(row + j), xn, TS.Load(zn + j)));
            if (j < cols)
            {
                int left = cols - j;
                for (int t = 0; t < w; t++)
                {
                    tail[t] = t < left ? row[j + t] : T.Zero;
                    tail[w + t] = t < left ? zn[j + t] : T.Zero;
                }
                TS.Store(tail, Transform(TS.Load(tail), xn, TS.Load(tail + w)));
                for (int t = 0; t < left; t++)
                    row[j + t] = tail[t];
            }
            int diagonal = row0 + r - col0;
            if (selfPairs && (uint)diagonal < (uint)cols && !T.IsNaN(xs))
            {
                tail[0] = T.Zero;
                TS.Store(tail, transform.Apply<TS, TVec>(TS.Load(tail)));
                row[diagonal] = tail[0];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    TVec Transform(TVec cross, TVec xn, TVec zn) =>
        transform.Apply<TS, TVec>(Clamp<TS, TVec>(TS.Add(cross, TS.Add(xn, zn))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TV Clamp<TSi, TV>(TV d2) where TSi : struct, ISimd<TV, T> where TV : struct =>
        TSi.Select(TSi.LessThan(d2, TSi.Zero), TSi.Zero, d2);
}
