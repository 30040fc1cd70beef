using System.Collections.Generic;
using RfmFast.Core;
using RfmFast.PropertyTests.Infrastructure;
using Xunit;

namespace RfmFast.PropertyTests.Blas;

/// <summary>
/// Deterministic sweeps that a random generator only covers by chance: every m in 0 .. 2 MR + 1 against every
/// n in 0 .. 2 NR + 1 of the tier (so every m mod MR and n mod NR, full and partial tiles on both sides),
/// every k mod 4 and k around the KC block (256 or 384 deep), shapes above the parallel threshold split by rows,
/// by columns and by triangle, and shapes crossing the MC (96 rows) and NC (2048 or 3072 columns) blocks. Each case goes through the same checks as the properties.
/// </summary>
public sealed class EdgeSweeps
{
    static readonly int[] s_smallK = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    // Around both KC choices (256 and 384) and their doubles.
    static readonly int[] s_deepK = [9, 10, 11, 12, 255, 256, 257, 383, 384, 385, 386, 387, 511, 512, 513, 767, 768, 769];

    public static TheoryData<IsaTier, int> Legs => Tiers.AcceleratedWithWorkers;

    [Theory, MemberData(nameof(Legs))]
    public void Gemm_every_edge_tile_float(IsaTier tier, int workers) => EdgeTiles<float>(tier, workers);

    [Theory, MemberData(nameof(Legs))]
    public void Gemm_every_edge_tile_double(IsaTier tier, int workers) => EdgeTiles<double>(tier, workers);

    [Theory, MemberData(nameof(Legs))]
    public void Gemm_and_syrk_every_k_residue_and_kc_crossing_float(IsaTier tier, int workers) => Depths<float>(tier, workers);

    [Theory, MemberData(nameof(Legs))]
    public void Gemm_and_syrk_every_k_residue_and_kc_crossing_double(IsaTier tier, int workers) => Depths<double>(tier, workers);

    [Theory, MemberData(nameof(Legs))]
    public void Gemm_and_syrk_above_the_parallel_threshold_float(IsaTier tier, int workers) => Parallel<float>(tier, workers);

    [Theory, MemberData(nameof(Legs))]
    public void Gemm_and_syrk_above_the_parallel_threshold_double(IsaTier tier, int workers) => Parallel<double>(tier, workers);

    static void EdgeTiles<T>(IsaTier tier, int workers) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int mr = Tiers.Mr, nr = Tiers.Nr<T>(tier);
        int index = 0;
        for (int m = 0; m <= 2 * mr + 1; m++)
        {
            for (int n = 0; n <= 2 * nr + 1; n++, index++)
            {
                int k = s_smallK[index % s_smallK.Length];
                bool ta = (index & 1) != 0, tb = (index & 2) != 0;
                double beta = (index % 3) switch { 0 => 0.0, 1 => 1.0, _ => -0.5 };
                var place = (index % 5) == 0 ? new Placement(1, 2, 1, 1, 3) : Placement.Dense;
                BlasChecks.Gemm<T>(new GemmCase(m, n, k, ta, tb, place, Placement.Dense, place, 1.5, beta, index), tier, workers);
            }
            // SYRK edges on the same n range: triangle cut through full and partial tiles.
            int ns = m * (nr + 1) / mr;
            BlasChecks.Syrk<T>(new SyrkCase(ns, s_smallK[m % s_smallK.Length] + 1, (m & 1) != 0, Placement.Dense,
                new Placement(0, 1, 0, 0, 2), -1.0, m % 2 == 0 ? 0.0 : 0.5, m), tier, workers);
        }
    }

    static void Depths<T>(IsaTier tier, int workers) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int mr = Tiers.Mr, nr = Tiers.Nr<T>(tier);
        var shapes = new List<(int M, int N)> { (1, 1), (mr + 1, nr + 1), (2 * mr, 2 * nr - 1) };
        int index = 0;
        foreach (int k in s_deepK)
        {
            foreach (var (m, n) in shapes)
            {
                for (int t = 0; t < 4; t++, index++)
                {
                    BlasChecks.Gemm<T>(new GemmCase(m, n, k, (t & 1) != 0, (t & 2) != 0, Placement.Dense,
                        new Placement(0, 0, 0, 0, 1), Placement.Dense, 1.0, t == 0 ? 0.0 : 1.0, index), tier, workers);
                }
                BlasChecks.Syrk<T>(new SyrkCase(m + n, k, (index & 4) != 0, Placement.Dense, Placement.Dense,
                    0.5, 1.0, index), tier, workers);
            }
        }
    }

    static void Parallel<T>(IsaTier tier, int workers) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // m n k >= 64^3 so the core really uses the second worker; rows split when m > n, columns otherwise.
        (int M, int N, int K)[] gemm = [(70, 70, 60), (97, 19, 150), (19, 97, 150), (67, 75, 53), (64, 64, 64)];
        int index = 0;
        foreach (var (m, n, k) in gemm)
        {
            foreach (bool ta in new[] { false, true })
            {
                BlasChecks.Gemm<T>(new GemmCase(m, n, k, ta, !ta, new Placement(1, 1, 1, 1, 1), Placement.Dense,
                    new Placement(2, 3, 0, 1, 4), -0.375, ta ? 0.0 : 2.0, 1000 + index++), tier, workers);
            }
        }
        // Past one MC block of rows (96) and one NC block of columns (3072 floats, 2048 doubles).
        foreach (var (m, n, k) in new[] { (100, 40, 70), (2, 3100, 3), (7, 2050, 2) })
        {
            BlasChecks.Gemm<T>(new GemmCase(m, n, k, false, index % 2 == 0, Placement.Dense, Placement.Dense,
                Placement.Dense, 1.0, 1.0, 1500 + index++), tier, workers);
        }
        foreach (var (n, k) in new[] { (64, 64), (79, 70), (66, 300), (101, 30) })
        {
            BlasChecks.Syrk<T>(new SyrkCase(n, k, (index & 1) != 0, Placement.Dense, new Placement(1, 0, 1, 0, 3),
                1.0, 0.0, 2000 + index++), tier, workers);
            BlasChecks.Syrk<T>(new SyrkCase(n, k, (index & 1) != 0, new Placement(0, 2, 0, 0, 0), Placement.Dense,
                -1.0, 1.0, 2000 + index++), tier, workers);
        }
    }
}
