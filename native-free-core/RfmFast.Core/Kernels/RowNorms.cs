using System.Runtime.CompilerServices;
using System.Numerics;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Kernels;

/// <summary>Row-wise dot products, with four accumulators so a long row is not bound by add latency.</summary>
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
    {
        int w = TS.Count, j = 0;
        TVec s0 = TS.Zero, s1 = TS.Zero, s2 = TS.Zero, s3 = TS.Zero;
        for (; j <= n - 4 * w; j += 4 * w)
        {
            s0 = TS.MulAdd(TS.Load(x + j), TS.Load(y + j), s0);
            s1 = TS.MulAdd(TS.Load(x + j + w), TS.Load(y + j + w), s1);
            s2 = TS.MulAdd(TS.Load(x + j + 2 * w), TS.Load(y + j + 2 * w), s2);
            s3 = TS.MulAdd(TS.Load(x + j + 3 * w), TS.Load(y + j + 3 * w), s3);
        }
        for (; j <= n - w; j += w)
            s0 = TS.MulAdd(TS.Load(x + j), TS.Load(y + j), s0);
        T sum = TS.Sum(TS.Add(TS.Add(s0, s1), TS.Add(s2, s3)));
        for (; j < n; j++)
            sum += x[j] * y[j];
        return sum;
    }
}
