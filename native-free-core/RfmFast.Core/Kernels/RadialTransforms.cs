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
