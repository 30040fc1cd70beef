using System;
using System.Runtime.CompilerServices;
using RfmFast.Core.Level3;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Linalg;

/// <summary>
/// A(j, i) = A(i, j) for j &lt; i: the strict upper triangle becomes the mirror of the lower one. Walked in
/// 64 x 64 tiles so the rows read and the columns written both stay in cache, with 8 x 8 in-register
/// transposes inside where the tier has them (strided element-by-element writes are several times slower).
/// </summary>
static unsafe class TriangleMirror
{
    const int Tile = 64;

    /// <summary>Mirrors the lower triangle of the n x n float matrix at <paramref name="a"/> on <paramref name="tier"/>.</summary>
    public static void LowerToUpper(IsaTier tier, float* a, nint lda, int n)
    {
        var user = new User(a, lda, n);
        TierDispatch.Run<float, User>(tier, ref user);
    }

    readonly struct User(float* a, nint lda, int n) : ITierUser<float>
    {
        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, float> where TVec : struct =>
            LowerToUpper<TS, TVec>(a, lda, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void LowerToUpper<TS, TVec>(float* a, nint lda, int n) where TS : struct, ISimd<TVec, float> where TVec : struct
    {
        for (int i0 = 0; i0 < n; i0 += Tile)
        {
            int i1 = Math.Min(n, i0 + Tile);
            for (int j0 = 0; j0 <= i0; j0 += Tile)
            {
                int j1 = Math.Min(n, j0 + Tile);
                if (j0 < i0 && i1 - i0 == Tile && j1 - j0 == Tile && TS.HasAvxTransposes)
                {
                    for (int i = i0; i < i1; i += 8)
                        for (int j = j0; j < j1; j += 8)
                            PackTransposes.Block8x8(a + i * lda + j, lda, a + j * lda + i, lda);
                    continue;
                }
                for (int i = i0; i < i1; i++)
                {
                    float* row = a + i * lda;
                    int jEnd = Math.Min(j1, i);
                    for (int j = j0; j < jEnd; j++)
                        a[j * lda + i] = row[j];
                }
            }
        }
    }
}
