using System;
using System.Runtime.CompilerServices;
using System.Numerics;
using RfmFast.Core.Simd;

namespace RfmFast.Core;

/// <summary>Vectorized elementwise functions over spans.</summary>
public static class Elementwise
{
    /// <summary>destination[i] = e^x[i], within 2 ulp; NaN stays NaN, overflow gives +infinity, results
    /// below 2^-125 (x &lt; -86.98) are flushed to 0. In place (same span) is allowed.</summary>
    /// <param name="x">The arguments.</param>
    /// <param name="destination">At least as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The destination is too short, or overlaps x other than exactly.</exception>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination) => Exp(Isa.Best, x, destination);

    /// <summary>destination[i] = e^x[i], within 3 ulp; results below 2^-1021 (x &lt; -708) are flushed to 0.</summary>
    /// <param name="x">The arguments.</param>
    /// <param name="destination">At least as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The destination is too short, or overlaps x other than exactly.</exception>
    public static void Exp(ReadOnlySpan<double> x, Span<double> destination) => Exp(Isa.Best, x, destination);

    /// <summary>destination[i] = ln x[i], within 3 ulp; 0 and subnormals give -infinity, negatives NaN.</summary>
    /// <param name="x">The arguments.</param>
    /// <param name="destination">At least as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The destination is too short, or overlaps x other than exactly.</exception>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination) => Log(Isa.Best, x, destination);

    /// <inheritdoc cref="Log(ReadOnlySpan{float}, Span{float})"/>
    public static void Log(ReadOnlySpan<double> x, Span<double> destination) => Log(Isa.Best, x, destination);

    internal static void Exp<T>(IsaTier tier, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, ExpOp<T>>(tier, x, destination);

    internal static void Log<T>(IsaTier tier, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, LogOp<T>>(tier, x, destination);

    static unsafe void Apply<T, TOp>(IsaTier tier, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<T>
    {
        if (destination.Length < x.Length)
            ThrowHelper.Argument(nameof(destination), "The destination is shorter than the input.");
        if (x.Overlaps(destination, out int offset) && offset != 0)
            ThrowHelper.Argument(nameof(destination), "The destination overlaps the input other than exactly (in place).");
        fixed (T* px = x, pd = destination)
        {
            var user = new User<T, TOp>(px, pd, x.Length);
            TierDispatch.Run<T, User<T, TOp>>(tier, ref user);
        }
    }

    readonly unsafe struct User<T, TOp>(T* x, T* d, int n) : ITierUser<T>
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<T>
    {
        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, T> where TVec : struct => Run<TS, TVec, T, TOp>(x, d, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Run<TS, TVec, T, TOp>(T* x, T* d, int n)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOp<T>
    {
        int w = TS.Count, i = 0;
        for (; i <= n - w; i += w)
            TS.Store(d + i, TOp.Apply<TS, TVec>(TS.Load(x + i)));
        for (; i < n; i++)
            d[i] = TOp.Apply<SimdScalar<T>, T>(x[i]);
    }

    interface IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract TVec Apply<TS, TVec>(TVec x) where TS : struct, ISimd<TVec, T> where TVec : struct;
    }

    readonly struct ExpOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static TVec Apply<TS, TVec>(TVec x) where TS : struct, ISimd<TVec, T> where TVec : struct => VectorMath.Exp<TS, TVec, T>(x);
    }

    readonly struct LogOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static TVec Apply<TS, TVec>(TVec x) where TS : struct, ISimd<TVec, T> where TVec : struct => VectorMath.Log<TS, TVec, T>(x);
    }
}
