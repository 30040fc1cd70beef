using System.Numerics;
using System.Runtime.CompilerServices;

namespace RfmFast.Core.Simd;

/// <summary>Level-1 operations on raw contiguous memory, written once over <see cref="ISimd{TVec, T}"/>.
/// The dot product keeps four accumulators so a long vector is not bound by the add latency.</summary>
static unsafe class SpanOps
{
    /// <summary>x . y over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    /// <summary>y += alpha x over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy<TS, TVec, T>(T alpha, T* x, T* y, int n)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = TS.Count, i = 0;
        TVec va = TS.Splat(alpha);
        for (; i <= n - w; i += w)
            TS.Store(y + i, TS.MulAdd(va, TS.Load(x + i), TS.Load(y + i)));
        for (; i < n; i++)
            y[i] += alpha * x[i];
    }

    /// <summary>x *= alpha over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale<TS, TVec, T>(T alpha, T* x, int n)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = TS.Count, i = 0;
        TVec va = TS.Splat(alpha);
        for (; i <= n - w; i += w)
            TS.Store(x + i, TS.Mul(va, TS.Load(x + i)));
        for (; i < n; i++)
            x[i] *= alpha;
    }
}
