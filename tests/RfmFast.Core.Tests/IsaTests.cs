using System;
using System.Linq;
using Xunit;

namespace RfmFast.Core.Tests;

public sealed class IsaTests
{
    /// <summary>The variable the leg scripts (eng/test-legs.sh) set to the tier each environment must produce.</summary>
    public const string ExpectTierVariable = "RFMFAST_EXPECT_TIER";

    /// <summary>
    /// Layer B of the ISA matrix: each test process is started under one environment (DOTNET_EnableAVX512=0,
    /// DOTNET_EnableHWIntrinsic=0, RFMFAST_FORCE_TIER=..., qemu arm64, ...) with the tier it must produce. A knob
    /// that went inert, or a detection that misreads the hardware, fails here instead of silently testing the
    /// wrong code path. Unset: the tier is the hardware's, lowered only by RFMFAST_FORCE_TIER.
    /// </summary>
    [Fact]
    public void Best_is_the_tier_the_environment_expects()
    {
        string? expected = Environment.GetEnvironmentVariable(ExpectTierVariable);
        if (string.IsNullOrWhiteSpace(expected))
        {
            string? forced = Environment.GetEnvironmentVariable(Isa.ForceTierVariable);
            Assert.Equal(Isa.ApplyOverride(Isa.Hardware, forced), Isa.Best);
            if (string.IsNullOrWhiteSpace(forced))
                Assert.Equal(Isa.Hardware, Isa.Best);
            return;
        }
        string name = expected.Trim();
        Assert.True(Enum.GetNames<IsaTier>().Contains(name, StringComparer.OrdinalIgnoreCase),
            $"{ExpectTierVariable}='{expected}' is not one of Scalar, V128, V256, V512.");
        var tier = Enum.Parse<IsaTier>(name, ignoreCase: true);
        Assert.True(tier == Isa.Best, $"{ExpectTierVariable}={tier} but the process runs {Isa.Describe()}.");
    }

    [Theory]
    [InlineData(IsaTier.V512, "V128", IsaTier.V128)]
    [InlineData(IsaTier.V512, "Scalar", IsaTier.Scalar)]
    [InlineData(IsaTier.V512, "V256", IsaTier.V256)]
    [InlineData(IsaTier.V512, "V512", IsaTier.V512)]
    [InlineData(IsaTier.V256, "v128", IsaTier.V128)]
    [InlineData(IsaTier.V256, "  scalar  ", IsaTier.Scalar)]
    [InlineData(IsaTier.V128, "SCALAR", IsaTier.Scalar)]
    public void A_forced_lower_tier_is_taken(IsaTier hardware, string value, IsaTier expected) =>
        Assert.Equal(expected, Isa.ApplyOverride(hardware, value));

    [Theory]
    [InlineData(IsaTier.Scalar, "V512")]
    [InlineData(IsaTier.Scalar, "V128")]
    [InlineData(IsaTier.V128, "V256")]
    [InlineData(IsaTier.V128, "V512")]
    [InlineData(IsaTier.V256, "V512")]
    public void A_forced_higher_tier_never_raises(IsaTier hardware, string value) =>
        Assert.Equal(hardware, Isa.ApplyOverride(hardware, value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_override_keeps_the_hardware_tier(string? value)
    {
        foreach (IsaTier hardware in Enum.GetValues<IsaTier>())
            Assert.Equal(hardware, Isa.ApplyOverride(hardware, value));
    }

    [Theory]
    [InlineData("AVX2")]
    [InlineData("V1024")]
    [InlineData("V 128")]
    [InlineData("7")]
    [InlineData("-1")]
    [InlineData("Scalar;V128")]
    public void An_unknown_tier_name_throws(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Isa.ApplyOverride(IsaTier.V512, value));
        Assert.Contains(Isa.ForceTierVariable, e.Message, StringComparison.Ordinal);
    }

    /// <summary>A comma list is not a tier name: Enum.TryParse would OR the values ("V128,V256" = 1 | 2 =
    /// V512), so a typo in a leg would run the highest tier instead of failing.</summary>
    [Theory]
    [InlineData("V128,V256")]
    [InlineData("Scalar,V512")]
    public void A_comma_list_of_tiers_throws(string value) =>
        Assert.Throws<InvalidOperationException>(() => Isa.ApplyOverride(IsaTier.V512, value));

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    [InlineData("-1")]
    public void A_number_is_not_a_tier_name(string value) =>
        Assert.Throws<InvalidOperationException>(() => Isa.ApplyOverride(IsaTier.V512, value));

    [Fact]
    public void The_tier_lists_are_consistent()
    {
        Assert.True(Isa.Best <= Isa.Hardware);
        Assert.Equal(Enum.GetValues<IsaTier>(), Isa.RunnableTiers.ToArray());
        Assert.Equal(Enum.GetValues<IsaTier>().Where(t => t <= Isa.Best).ToArray(), Isa.AcceleratedTiers.ToArray());
        Assert.Contains(Isa.Best.ToString(), Isa.Describe(), StringComparison.Ordinal);
    }
}
