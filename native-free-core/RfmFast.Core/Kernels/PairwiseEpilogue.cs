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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(T* c, nint ldc, int row0, int col0, int rows, int cols)
    {
        int w = TS.Count;
        T* zn = colNorms + col0;
        for (int r = 0; r < rows; r++)
        {
            T* row = c + r * ldc;
            TVec xn = TS.Splat(rowNorms[row0 + r]);
            int j = 0;
            for (; j <= cols - w; j += w)
                TS.Store(row + j, transform.Apply<TS, TVec>(Clamp<TS, TVec>(TS.Add(TS.Add(TS.Load(row + j), xn), TS.Load(zn + j)))));
            T xs = rowNorms[row0 + r];
            for (; j < cols; j++)
                row[j] = transform.Apply<SimdScalar<T>, T>(Clamp<SimdScalar<T>, T>(row[j] + xs + zn[j]));
            int diagonal = row0 + r - col0;
            if (selfPairs && (uint)diagonal < (uint)cols && !T.IsNaN(xs))
                row[diagonal] = transform.Apply<SimdScalar<T>, T>(T.Zero);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TV Clamp<TSi, TV>(TV d2) where TSi : struct, ISimd<TV, T> where TV : struct =>
        TSi.Select(TSi.LessThan(d2, TSi.Zero), TSi.Zero, d2);
}
