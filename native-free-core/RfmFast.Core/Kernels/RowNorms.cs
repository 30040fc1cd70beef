using System.Runtime.CompilerServices;
using System.Numerics;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Kernels;

/// <summary>Row-wise dot products (see <see cref="SpanOps.Dot{TS, TVec, T}"/>).</summary>
static unsafe class RowNorms
{
    /// <summary>out[i] = x_i . y_i for the first <paramref name="rows"/> rows of two row-major matrices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowDots<TS, TVec, T>(T* x, nint ldx, T* y, nint ldy, int rows, int cols, T* result)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
            result[i] = Dot<TS, TVec, T>(x + i * ldx, y + i * ldy, cols);
    }

    public static T Dot<TS, TVec, T>(T* x, T* y, int n)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        => SpanOps.Dot<TS, TVec, T>(x, y, n);
}
