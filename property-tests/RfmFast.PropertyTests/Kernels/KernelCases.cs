using FsCheck;
using FsCheck.Fluent;
using RfmFast.PropertyTests.Infrastructure;

namespace RfmFast.PropertyTests.Kernels;

/// <summary>One generated pairwise problem: X is N x D, Z is M x D, optional metric, kernel choice.</summary>
public sealed record PairwiseCase(int N, int M, int D, Placement PlaceX, Placement PlaceZ, Placement PlaceOut,
    bool Metric, int Kernel, double Bandwidth, bool SelfPairs, int Seed);

/// <summary>
/// Shapes cover 0 and 1, every row count mod the 6-row tile, every column count mod two vectors (up to 33),
/// dimensions d across every vector-width tail and across the 384-deep KC block, and a branch large enough
/// to run on two workers. Kernel index: 0 Laplace, 1 Gaussian, 2 generalized Laplace q = 0.5, 3 q = 1.5.
/// </summary>
public static class KernelCases
{
    static Gen<int> Rows => Gen.Frequency((2, Gen.Elements(0, 1)), (10, Gen.Choose(2, 40)), (2, Gen.Choose(41, 70)));

    static Gen<int> Dim => Gen.Frequency((2, Gen.Elements(0, 1)), (10, Gen.Choose(2, 70)), (2, Gen.Choose(380, 400)));

    static Gen<Placement> Place =>
        Gen.Frequency(
            (2, Gen.Constant(Placement.Dense)),
            (2, from r0 in Gen.Choose(0, 2)
                from c0 in Gen.Choose(0, 3)
                from below in Gen.Choose(0, 1)
                from right in Gen.Choose(0, 2)
                from pad in Gen.Choose(0, 5)
                select new Placement(r0, c0, below, right, pad)));

    static Gen<(int N, int M, int D)> Shape =>
        Gen.Frequency(
            (6, from n in Rows from m in Rows from d in Dim select (n, m, d)),
            (1, from n in Gen.Choose(60, 90) from m in Gen.Choose(60, 90) from d in Gen.Choose(40, 80) select (n, m, d)));

    public static Arbitrary<PairwiseCase> Pairwise { get; } = Arb.From(
        from shape in Shape
        from px in Place
        from pz in Place
        from po in Place
        from metric in Gen.Elements(false, true)
        from kernel in Gen.Choose(0, 3)
        from bandwidth in Gen.Elements(0.5, 1.0, 3.0, 10.0)
        from self in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from seed in Gen.Choose(0, int.MaxValue)
        select new PairwiseCase(shape.N, self ? shape.N : shape.M, shape.D, px, self ? px : pz, po, metric, kernel, bandwidth, self, seed));
}
