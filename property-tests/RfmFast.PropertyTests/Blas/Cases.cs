using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using RfmFast.PropertyTests.Infrastructure;

namespace RfmFast.PropertyTests.Blas;

/// <summary>One generated GEMM problem: shapes, layouts, scalars and the seed of its values.</summary>
public sealed record GemmCase(int M, int N, int K, bool TransA, bool TransB,
    Placement PlaceA, Placement PlaceB, Placement PlaceC, double Alpha, double Beta, int Seed);

/// <summary>One generated SYRK problem.</summary>
public sealed record SyrkCase(int N, int K, bool Trans, Placement PlaceA, Placement PlaceC,
    double Alpha, double Beta, int Seed);

/// <summary>
/// The generators. Sizes favour the edges the packed GEMM has to get right: 0 and 1, everything up to a few
/// micro-tiles (every m mod 6 and n mod 2 x vector width occurs), reductions crossing the KC block (256
/// and 384 are both covered), and a branch of larger problems (m n k &gt;= 64^3) that really runs on two
/// workers, some with more rows than one MC block (96). Scalars are
/// exact in float; beta = 0 comes with C filled with NaN.
/// </summary>
public static class Cases
{
    static readonly double[] s_alphas = [1.0, -1.0, 0.5, 1.75, -0.375];
    static readonly double[] s_betas = [1.0, -1.0, 0.5, 2.0];

    static Gen<int> Dim =>
        Gen.Frequency((2, Gen.Elements(0, 1)), (10, Gen.Choose(2, 40)), (3, Gen.Choose(41, 80)));

    static Gen<int> Depth =>
        Gen.Frequency((2, Gen.Elements(0, 1)), (8, Gen.Choose(2, 40)), (2, Gen.Choose(41, 249)), (3, Gen.Choose(250, 400)));

    static Gen<Placement> Place =>
        Gen.Frequency(
            (2, Gen.Constant(Placement.Dense)),
            (3, from r0 in Gen.Choose(0, 2)
                from c0 in Gen.Choose(0, 3)
                from below in Gen.Choose(0, 1)
                from right in Gen.Choose(0, 2)
                from pad in Gen.Choose(0, 5)
                select new Placement(r0, c0, below, right, pad)));

    static Gen<double> Alpha => Gen.Frequency((8, Gen.Elements(s_alphas)), (1, Gen.Constant(0.0)));

    static Gen<double> Beta => Gen.Frequency((3, Gen.Constant(0.0)), (4, Gen.Elements(s_betas)));

    static Gen<(int M, int N, int K)> GemmShape =>
        Gen.Frequency(
            (5, from m in Dim from n in Dim from k in Depth select (m, n, k)),
            // Large enough for two workers: 40 * 40 * 164 > 64^3; both m > n (row split) and m < n (column split).
            (1, from m in Gen.Choose(40, 100) from n in Gen.Choose(40, 80) from k in Gen.Choose(164, 400) select (m, n, k)),
            // Narrow C (the unpacked dot-product path, N <= 16), tall enough that it splits rows over two workers
            // when m n k > 64^3.
            (1, from m in Gen.Choose(100, 700) from n in Gen.Choose(1, 16) from k in Gen.Choose(100, 400) select (m, n, k)));

    static Gen<(int N, int K)> SyrkShape =>
        Gen.Frequency(
            (5, from n in Dim from k in Depth select (n, k)),
            (1, from n in Gen.Choose(64, 100) from k in Gen.Choose(64, 400) select (n, k)));

    public static Arbitrary<GemmCase> Gemm { get; } = Arb.From(
        from shape in GemmShape
        from ta in Gen.Elements(false, true)
        from tb in Gen.Elements(false, true)
        from pa in Place
        from pb in Place
        from pc in Place
        from alpha in Alpha
        from beta in Beta
        from seed in Gen.Choose(0, int.MaxValue)
        select new GemmCase(shape.M, shape.N, shape.K, ta, tb, pa, pb, pc, alpha, beta, seed),
        ShrinkGemm);

    public static Arbitrary<SyrkCase> Syrk { get; } = Arb.From(
        from shape in SyrkShape
        from t in Gen.Elements(false, true)
        from pa in Place
        from pc in Place
        from alpha in Alpha
        from beta in Beta
        from seed in Gen.Choose(0, int.MaxValue)
        select new SyrkCase(shape.N, shape.K, t, pa, pc, alpha, beta, seed),
        ShrinkSyrk);

    /// <summary>Smaller dimensions first, then simpler layouts and scalars; the seed is kept.</summary>
    static IEnumerable<GemmCase> ShrinkGemm(GemmCase c)
    {
        foreach (int m in Smaller(c.M)) yield return c with { M = m };
        foreach (int n in Smaller(c.N)) yield return c with { N = n };
        foreach (int k in Smaller(c.K)) yield return c with { K = k };
        if (c.PlaceA != Placement.Dense) yield return c with { PlaceA = Placement.Dense };
        if (c.PlaceB != Placement.Dense) yield return c with { PlaceB = Placement.Dense };
        if (c.PlaceC != Placement.Dense) yield return c with { PlaceC = Placement.Dense };
        if (c.TransA) yield return c with { TransA = false };
        if (c.TransB) yield return c with { TransB = false };
        if (c.Alpha != 1.0) yield return c with { Alpha = 1.0 };
    }

    static IEnumerable<SyrkCase> ShrinkSyrk(SyrkCase c)
    {
        foreach (int n in Smaller(c.N)) yield return c with { N = n };
        foreach (int k in Smaller(c.K)) yield return c with { K = k };
        if (c.PlaceA != Placement.Dense) yield return c with { PlaceA = Placement.Dense };
        if (c.PlaceC != Placement.Dense) yield return c with { PlaceC = Placement.Dense };
        if (c.Trans) yield return c with { Trans = false };
        if (c.Alpha != 1.0) yield return c with { Alpha = 1.0 };
    }

    static IEnumerable<int> Smaller(int x)
    {
        if (x > 1) yield return x / 2;
        if (x > 0) yield return x - 1;
    }
}
