using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Kernels;

/// <summary>Maps a clamped squared distance d2 &gt;= 0 to the output value, lane-wise, on any tier.</summary>
interface IRadialTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    TVec Apply<TS, TVec>(TVec d2) where TS : struct, ISimd<TVec, T> where TVec : struct;
}

/// <summary>The squared distance itself.</summary>
readonly struct SquaredDistance<T> : IRadialTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TS, TVec>(TVec d2) where TS : struct, ISimd<TVec, T> where TVec : struct => d2;
}

/// <summary>exp(-sqrt(d2) / L).</summary>
readonly struct LaplaceTransform<T>(T negInvL) : IRadialTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TS, TVec>(TVec d2) where TS : struct, ISimd<TVec, T> where TVec : struct =>
        VectorMath.ExpNonPositive<TS, TVec, T>(TS.Mul(TS.Sqrt(d2), TS.Splat(negInvL)));
}

/// <summary>exp(-d2 / (2 L^2)).</summary>
readonly struct GaussianTransform<T>(T negInvTwoL2) : IRadialTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TS, TVec>(TVec d2) where TS : struct, ISimd<TVec, T> where TVec : struct =>
        VectorMath.ExpNonPositive<TS, TVec, T>(TS.Mul(d2, TS.Splat(negInvTwoL2)));
}

/// <summary>exp(-(d2 / L^2)^(q/2)) = exp(-exp((q/2) log(d2 / L^2))), with d2 = 0 giving 1.</summary>
readonly struct GeneralizedLaplaceTransform<T>(T invL2, T halfQ) : IRadialTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TS, TVec>(TVec d2) where TS : struct, ISimd<TVec, T> where TVec : struct
    {
        TVec s = TS.Mul(d2, TS.Splat(invL2));
        TVec pow = VectorMath.Exp<TS, TVec, T>(TS.Mul(VectorMath.Log<TS, TVec, T>(s), TS.Splat(halfQ)));
        // log(0) = -inf, exp(-inf * q/2) = 0, so d2 = 0 already gives pow = 0 and the kernel 1.
        return VectorMath.ExpNonPositive<TS, TVec, T>(TS.Sub(TS.Zero, pow));
    }
}

/// <summary>
/// The AGOP weight phi(r) of a pair, with grad f(z) = sum_i alpha_i phi(r_i) M (z - x_i): Laplace
/// -exp(-r/L) / (L r); pairs with r below 1e-10 (the point itself, duplicates) weigh 0, as in the
/// reference implementations.
/// </summary>
readonly struct LaplaceGradientWeight<T>(T negInvL) : IRadialTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TS, TVec>(TVec d2) where TS : struct, ISimd<TVec, T> where TVec : struct
    {
        TVec r = TS.Sqrt(d2);
        TVec k = VectorMath.ExpNonPositive<TS, TVec, T>(TS.Mul(r, TS.Splat(negInvL)));
        TVec w = TS.Div(TS.Mul(k, TS.Splat(negInvL)), r);
        return TS.Select(TS.LessThan(r, TS.Splat(T.CreateTruncating(1e-10))), TS.Zero, w);
    }
}

/// <summary>The Gaussian AGOP weight -exp(-r^2 / (2 L^2)) / L^2 (no singularity; the self pair still weighs 0
/// in effect, since z - x = 0).</summary>
readonly struct GaussianGradientWeight<T>(T negInvTwoL2, T negInvL2) : IRadialTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TS, TVec>(TVec d2) where TS : struct, ISimd<TVec, T> where TVec : struct =>
        TS.Mul(VectorMath.ExpNonPositive<TS, TVec, T>(TS.Mul(d2, TS.Splat(negInvTwoL2))), TS.Splat(negInvL2));
}

/// <summary>The generalized Laplace AGOP weight -(q / L^q) k r^(q-2), k = exp(-(r/L)^q), computed as
/// -(q/L^2) k s^(q/2 - 1) with s = r^2 / L^2; pairs with r below 1e-10 weigh 0.</summary>
readonly struct GeneralizedLaplaceGradientWeight<T>(T invL2, T halfQ, T negQInvL2) : IRadialTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TS, TVec>(TVec d2) where TS : struct, ISimd<TVec, T> where TVec : struct
    {
        TVec s = TS.Mul(d2, TS.Splat(invL2));
        TVec logS = VectorMath.Log<TS, TVec, T>(s);
        TVec pow = VectorMath.Exp<TS, TVec, T>(TS.Mul(logS, TS.Splat(halfQ)));          // s^(q/2)
        TVec k = VectorMath.ExpNonPositive<TS, TVec, T>(TS.Sub(TS.Zero, pow));
        TVec powM1 = VectorMath.Exp<TS, TVec, T>(TS.Mul(logS, TS.Sub(TS.Splat(halfQ), TS.Splat(T.One)))); // s^(q/2 - 1)
        TVec w = TS.Mul(TS.Mul(k, powM1), TS.Splat(negQInvL2));
        TVec tiny = TS.Splat(T.CreateTruncating(1e-20));
        return TS.Select(TS.LessThan(d2, tiny), TS.Zero, w);
    }
}
