using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using Xunit;

namespace RfmFast.PropertyTests.Blas;

/// <summary>FsCheck properties: GEMM and SYRK on every accelerated tier and on 1 and 2 workers agree with the
/// naive double reference (see <see cref="BlasChecks"/>). Case counts scale with RFMFAST_TEST_SCALE.</summary>
public sealed class GemmProperties
{
    const int GemmCases = 60;
    const int SyrkCases = 50;

    public static TheoryData<IsaTier, int> Legs => Tiers.AcceleratedWithWorkers;

    [Theory, MemberData(nameof(Legs))]
    public void Gemm_float_matches_the_double_reference(IsaTier tier, int workers) =>
        PropertyRunner.Check($"gemm-float-{tier}-{workers}", Cases.Gemm, c => BlasChecks.Gemm<float>(c, tier, workers), GemmCases);

    [Theory, MemberData(nameof(Legs))]
    public void Gemm_double_matches_the_double_reference(IsaTier tier, int workers) =>
        PropertyRunner.Check($"gemm-double-{tier}-{workers}", Cases.Gemm, c => BlasChecks.Gemm<double>(c, tier, workers), GemmCases);

    [Theory, MemberData(nameof(Legs))]
    public void Syrk_float_matches_the_double_reference_and_keeps_the_upper_triangle(IsaTier tier, int workers) =>
        PropertyRunner.Check($"syrk-float-{tier}-{workers}", Cases.Syrk, c => BlasChecks.Syrk<float>(c, tier, workers), SyrkCases);

    [Theory, MemberData(nameof(Legs))]
    public void Syrk_double_matches_the_double_reference_and_keeps_the_upper_triangle(IsaTier tier, int workers) =>
        PropertyRunner.Check($"syrk-double-{tier}-{workers}", Cases.Syrk, c => BlasChecks.Syrk<double>(c, tier, workers), SyrkCases);
}
