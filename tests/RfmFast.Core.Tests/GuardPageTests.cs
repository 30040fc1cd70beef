using System;
using System.Numerics;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>
/// GEMM and SYRK with every operand flush against an inaccessible page (after its last element, then before its
/// first): an over-read of A or B, or a write past C, crashes the process. Sizes hit full and partial micro-tiles,
/// the KC block and the two-worker path; both transposes; results are still checked against the reference.
/// </summary>
public sealed class GuardPageTests
{
    public static TheoryData<IsaTier, int> TiersAndWorkers => TestData.TiersAndWorkers;

    static readonly (int M, int N, int K)[] s_shapes = [(1, 1, 1), (7, 35, 5), (13, 17, 400), (6, 64, 3), (70, 70, 70)];

    [Theory, MemberData(nameof(TiersAndWorkers))]
    public void Gemm_and_syrk_stay_inside_their_spans_float(IsaTier tier, int workers) => Run<float>(tier, workers);

    [Theory, MemberData(nameof(TiersAndWorkers))]
    public void Gemm_and_syrk_stay_inside_their_spans_double(IsaTier tier, int workers) => Run<double>(tier, workers);

    /// <summary>The guard must really be there: /proc/self/maps shows the page after the span (or before it)
    /// without any access rights, and the span itself readable and writable.</summary>
    [Theory]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(1000, false)]
    [InlineData(4096, false)]
    public void The_guard_page_is_inaccessible(int length, bool guardAfter)
    {
        Assert.SkipUnless(GuardedMemory<float>.IsSupported, "guard pages need mmap (Linux)");
        using var g = new GuardedMemory<float>(length, guardAfter);
        g.Span.Fill(1f);
        Assert.Equal("rw", Permissions(g.Start)[..2]);
        Assert.Equal("rw", Permissions(g.End - sizeof(float))[..2]);
        string guard = guardAfter ? Permissions(g.End) : Permissions(g.Start - 1);
        Assert.Equal("---", guard[..3]);
    }

    static string Permissions(nint address)
    {
        foreach (string line in System.IO.File.ReadLines("/proc/self/maps"))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] range = parts[0].Split('-');
            ulong lo = ulong.Parse(range[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            ulong hi = ulong.Parse(range[1], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if ((ulong)address >= lo && (ulong)address < hi)
                return parts[1];
        }
        return "unmapped";
    }

    static void Run<T>(IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.SkipUnless(GuardedMemory<T>.IsSupported, "guard pages need mmap (Linux)");
        int seed = 0;
        foreach (bool guardAfter in new[] { true, false })
        {
            foreach (var (m, n, k) in s_shapes)
            {
                foreach (var (ta, tb) in TestData.Transposes())
                {
                    seed++;
                    int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                    using var a = new GuardedMemory<T>(m * k, guardAfter);
                    using var b = new GuardedMemory<T>(k * n, guardAfter);
                    using var c = new GuardedMemory<T>(m * n, guardAfter);
                    TestData.Uniform<T>(m * k, seed).CopyTo(a.Span);
                    TestData.Uniform<T>(k * n, seed + 1).CopyTo(b.Span);
                    T[] c0 = TestData.Uniform<T>(m * n, seed + 2);
                    c0.CopyTo(c.Span);
                    Blas.Gemm(tier, workers, TestData.Op(ta), TestData.Op(tb), T.One, new ReadOnlyMatrixView<T>(a.Span, aRows, aCols),
                        new ReadOnlyMatrixView<T>(b.Span, bRows, bCols), T.One, new MatrixView<T>(c.Span, m, n));

                    var (value, magnitude) = NaiveBlas.Gemm(ta, tb, 1.0, new Dense<T>(a.Span.ToArray(), 0, aRows, aCols, Math.Max(aCols, 1)),
                        new Dense<T>(b.Span.ToArray(), 0, bRows, bCols, Math.Max(bCols, 1)), 1.0, new Dense<T>(c0, 0, m, n, Math.Max(n, 1)));
                    double gamma = NaiveBlas.Gamma<T>(k);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                            Assert.True(Math.Abs(double.CreateTruncating(c.Span[i * n + j]) - value[i, j]) <= gamma * magnitude[i, j] + 1e-300,
                                $"GEMM {m}x{n}x{k} ta={ta} tb={tb} on {tier}: C({i}, {j}) off the reference");
                }

                // SYRK: C is m x m, op(A) is m x k.
                using var sa = new GuardedMemory<T>(m * k, guardAfter);
                using var sc = new GuardedMemory<T>(m * m, guardAfter);
                TestData.Uniform<T>(m * k, seed + 3).CopyTo(sa.Span);
                sc.Span.Fill(T.NaN);
                bool st = (m + k) % 2 == 1;
                Blas.Syrk(tier, workers, TestData.Op(st), T.One,
                    st ? new ReadOnlyMatrixView<T>(sa.Span, k, m) : new ReadOnlyMatrixView<T>(sa.Span, m, k),
                    T.Zero, new MatrixView<T>(sc.Span, m, m));
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++)
                        Assert.True(j <= i ? T.IsFinite(sc.Span[i * m + j]) : T.IsNaN(sc.Span[i * m + j]), $"SYRK {m}x{k}: C({i}, {j})");
            }
        }
    }
}
