using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RfmFast.Core;

/// <summary>
/// Chooses the SIMD tier once per process. The hardware decides the highest tier; the environment
/// variable <c>RFMFAST_FORCE_TIER</c> (Scalar, V128, V256 or V512) may lower it for the whole process,
/// never raise it.
/// </summary>
/// <remarks>
/// Both <c>VectorN.IsHardwareAccelerated</c> and the ISA class are checked, because
/// <c>DOTNET_PreferredVectorBitWidth=256</c> hides Vector512 while <c>Avx512F.IsSupported</c> stays true,
/// and <c>DOTNET_EnableAVX2=0</c> removes FMA along with AVX2.
/// </remarks>
public static class Isa
{
    /// <summary>The name of the environment variable that lowers the tier.</summary>
    public const string ForceTierVariable = "RFMFAST_FORCE_TIER";

    /// <summary>The highest tier this process can run, before any override.</summary>
    public static IsaTier Hardware { get; } = DetectHardware();

    /// <summary>The tier every core routine uses in this process: <see cref="Hardware"/>, lowered by
    /// <see cref="ForceTierVariable"/> if it is set.</summary>
    public static IsaTier Best { get; } = ApplyOverride(Hardware, Environment.GetEnvironmentVariable(ForceTierVariable));

    /// <summary>Every tier whose code is correct to run in this process, lowest first. The vector tiers
    /// run through the portable <c>VectorN</c> API, so a tier above <see cref="Best"/> would still be
    /// correct, only slow (software emulation); tests use this list to cover every tier's logic.</summary>
    public static IReadOnlyList<IsaTier> RunnableTiers { get; } = [IsaTier.Scalar, IsaTier.V128, IsaTier.V256, IsaTier.V512];

    /// <summary>Every tier at or below <see cref="Best"/>: the ones that run at hardware speed.</summary>
    public static IReadOnlyList<IsaTier> AcceleratedTiers { get; } = BuildAccelerated(Best);

    /// <summary>A one-line description of the hardware and the chosen tier, for logs and benchmark headers.</summary>
    public static string Describe() =>
        $"tier {Best} (hardware {Hardware}); {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, " +
        $"V128={Vector128.IsHardwareAccelerated} V256={Vector256.IsHardwareAccelerated} V512={Vector512.IsHardwareAccelerated} " +
        $"Fma={Fma.IsSupported} Avx512F={Avx512F.IsSupported} AdvSimd={AdvSimd.Arm64.IsSupported}, {Environment.ProcessorCount} cpus";

    static IsaTier DetectHardware()
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512DQ.IsSupported && Fma.IsSupported)
            return IsaTier.V512;
        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported)
            return IsaTier.V256;
        if (Vector128.IsHardwareAccelerated && (Sse41.IsSupported || AdvSimd.Arm64.IsSupported))
            return IsaTier.V128;
        return IsaTier.Scalar;
    }

    /// <summary>Parses a tier name and lowers <paramref name="hardware"/> to it; an unknown name is an error,
    /// not silently ignored, so a typo in a CI leg cannot pass as the default tier.</summary>
    internal static IsaTier ApplyOverride(IsaTier hardware, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return hardware;
        // Exact names only: Enum.TryParse would accept "1" and OR a comma list ("V128,V256" = V512).
        string name = value.Trim();
        foreach (IsaTier tier in Enum.GetValues<IsaTier>())
        {
            if (string.Equals(tier.ToString(), name, StringComparison.OrdinalIgnoreCase))
                return tier < hardware ? tier : hardware;
        }
        throw new InvalidOperationException($"{ForceTierVariable}='{value}' is not one of Scalar, V128, V256, V512.");
    }

    static IsaTier[] BuildAccelerated(IsaTier best)
    {
        var tiers = new IsaTier[(int)best + 1];
        for (int i = 0; i <= (int)best; i++)
            tiers[i] = (IsaTier)i;
        return tiers;
    }
}
