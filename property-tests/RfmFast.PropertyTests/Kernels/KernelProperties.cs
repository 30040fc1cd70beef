using System;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using Xunit;

namespace RfmFast.PropertyTests.Kernels;

/// <summary>FsCheck properties: squared distances (Euclidean and Mahalanobis) and the fused kernel matrices
/// agree with the naive double reference on every accelerated tier, 1 and 2 workers.</summary>
public sealed class KernelProperties
{
    const int Cases = 40;

    public static TheoryData<IsaTier, int> Legs => Tiers.AcceleratedWithWorkers;

    [Theory, MemberData(nameof(Legs))]
    public void Pairwise_float_matches_the_double_reference(IsaTier tier, int workers) =>
        PropertyRunner.Check($"pairwise-float-{tier}-{workers}", KernelCases.Pairwise, c => KernelChecks.Pairwise<float>(c, tier, workers), Cases);

    [Theory, MemberData(nameof(Legs))]
    public void Pairwise_double_matches_the_double_reference(IsaTier tier, int workers) =>
        PropertyRunner.Check($"pairwise-double-{tier}-{workers}", KernelCases.Pairwise, c => KernelChecks.Pairwise<double>(c, tier, workers), Cases);

    [Theory, MemberData(nameof(Legs))]
    public void A_NaN_in_a_row_of_X_gives_NaN_in_that_row_only(IsaTier tier, int workers)
    {
        const int n = 13, m = 35, d = 19;
        var rng = new Random(5);
        var x = new TestMatrix<float>(n, d, Placement.Dense, 0f).FillUniform(rng);
        var z = new TestMatrix<float>(m, d, Placement.Dense, 0f).FillUniform(rng);
        x.At(4, 7) = float.NaN;
        var k = new TestMatrix<float>(n, m, Placement.Dense, 0f);
        KernelMatrix.Compute(tier, workers, KernelFunction.Laplace(2), x.ReadOnly(), z.ReadOnly(), default, false, k.View());
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                Assert.True(i == 4 ? float.IsNaN(k.At(i, j)) : float.IsFinite(k.At(i, j)), $"K({i},{j}) = {k.At(i, j)}");
    }

    [Theory, MemberData(nameof(Legs))]
    public void The_self_kernel_matrix_is_exactly_symmetric(IsaTier tier, int workers)
    {
        const int n = 97, d = 41;
        var x = new TestMatrix<float>(n, d, Placement.Dense, 0f).FillUniform(new Random(8));
        var k = new TestMatrix<float>(n, n, Placement.Dense, 0f);
        KernelMatrix.Compute(tier, workers, KernelFunction.Laplace(1.5), x.ReadOnly(), x.ReadOnly(), default, false, k.View());
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(1f, k.At(i, i));
            for (int j = 0; j < i; j++)
                Assert.Equal(k.At(i, j), k.At(j, i));
        }
    }
}
