using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RfmFast.Core.Simd;

/// <summary>Code that runs with one ISA tier's vector struct as its generic arguments, so the JIT compiles it once
/// per tier with every vector operation inlined: the visitor half of <see cref="TierDispatch.Run{T, TUser}"/>.</summary>
interface ITierUser<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Use<TS, TVec>() where TS : struct, ISimd<TVec, T> where TVec : struct;
}

/// <summary>
/// The one place that maps an <see cref="IsaTier"/> to the struct that implements it: every routine that takes a
/// tier calls <see cref="Run{T, TUser}"/> once, outside its loops, and every tier-dependent choice below that
/// (packing by in-register transposes, prefetching, widening) is a member of the tier struct. Adding a tier
/// means a new <see cref="ISimd{TVec, T}"/> struct, its detection in <see cref="Isa"/> and one case here.
/// </summary>
static class TierDispatch
{
    /// <summary>Calls <paramref name="user"/> with the vector struct of <paramref name="tier"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not an <see cref="IsaTier"/> value.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T, TUser>(IsaTier tier, ref TUser user)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUser : struct, ITierUser<T>, allows ref struct
    {
        switch (tier)
        {
            case IsaTier.V512: user.Use<Simd512<T>, Vector512<T>>(); break;
            case IsaTier.V256: user.Use<Simd256<T>, Vector256<T>>(); break;
            case IsaTier.V128: user.Use<Simd128<T>, Vector128<T>>(); break;
            case IsaTier.Scalar: user.Use<SimdScalar<T>, T>(); break;
            default: ThrowUnknownTier(tier); break;
        }
    }

    /// <summary>The failure of every routine given a value outside <see cref="IsaTier"/> (a cast integer).</summary>
    [DoesNotReturn]
    static void ThrowUnknownTier(IsaTier tier) =>
        throw new ArgumentOutOfRangeException(nameof(tier), tier, $"{(int)tier} is not an ISA tier: Scalar, V128, V256 or V512.");
}
