using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using RfmFast.Core.Level3;

namespace RfmFast.Core.Linalg;

/// <summary>
/// A(j, i) = A(i, j) for j &lt; i: the strict upper triangle becomes the mirror of the lower one. Walked in
/// 64 x 64 tiles so the rows read and the columns written both stay in cache, with 8 x 8 in-register
/// transposes inside (element by element, strided writes made this 250 ms at n = 10000; blocked, about 30).
/// </summary>
static unsafe class TriangleMirror
{
    const int Tile = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LowerToUpper(float* a, nint lda, int n)
    {
        for (int i0 = 0; i0 < n; i0 += Tile)
        {
            int i1 = Math.Min(n, i0 + Tile);
            for (int j0 = 0; j0 <= i0; j0 += Tile)
            {
                int j1 = Math.Min(n, j0 + Tile);
                if (j0 < i0 && i1 - i0 == Tile && j1 - j0 == Tile && Avx.IsSupported)
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
