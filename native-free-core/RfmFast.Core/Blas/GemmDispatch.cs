using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Level3;

/// <summary>Picks the loop nest instantiated for a tier: the one switch per call, outside every loop.</summary>
static class GemmDispatch
{
    public static void Run<T, TEpi>(IsaTier tier, in GemmProblem<T> p, in TEpi epi, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TEpi : struct, IGemmEpilogue<T>
    {
        switch (tier)
        {
            case IsaTier.V512: GemmDriver<Simd512<T>, Vector512<T>, T, TEpi>.Run(p, epi, workers); break;
            case IsaTier.V256: GemmDriver<Simd256<T>, Vector256<T>, T, TEpi>.Run(p, epi, workers); break;
            case IsaTier.V128: GemmDriver<Simd128<T>, Vector128<T>, T, TEpi>.Run(p, epi, workers); break;
            case IsaTier.Scalar: GemmDriver<SimdScalar<T>, T, T, TEpi>.Run(p, epi, workers); break;
            default: throw new ArgumentOutOfRangeException(nameof(tier));
        }
    }
}
