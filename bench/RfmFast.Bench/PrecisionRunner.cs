using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using RfmFast.Core;

namespace RfmFast.Bench;

/// <summary>
/// The RfmFast side of bench/precision.sh: SpdSolver.Solve on K + reg I for a real dataset, in each
/// <see cref="SolvePrecision"/>, with its <see cref="SolveReport"/> and time; bench/peers/precision_peer.py
/// prepares the data and compares the predictions K x with a float64 LAPACK solve.
/// </summary>
/// <remarks>
/// Reads DIR/meta.tsv (n, d, bandwidth, regs), DIR/x.bin (n x d float32, standardized features) and
/// DIR/y.bin (n float32, standardized target). Writes DIR/k.bin, the float32 Laplace kernel matrix
/// exp(-|x_i - x_j| / L) computed by the core and made exactly symmetric from its lower triangle (the peer
/// solves with exactly this K), and DIR/x_REG_PREC.bin
/// (n float64) per solve, and prints one tab-separated line per solve:
/// <c>solve	REG	PRECISION	USED	REFINEMENTS	FELL_BACK	BACKWARD_ERROR	SECONDS	REASON</c>.
/// A = K + reg I is built in float (K[i, i] + (float)reg, as the peer does), both triangles; each solve starts
/// from a fresh copy of A (SpdSolver overwrites the lower triangle in float and mixed precision), the copy
/// outside the timed region; SECONDS is the best of <see cref="Repeats"/> solves.
/// </remarks>
static class PrecisionRunner
{
    const int Repeats = 3;

    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: RfmFast.Bench precision DIR (see bench/precision.sh)");
            return 2;
        }
        string dir = args[0];
        string[] meta = File.ReadAllLines(Path.Combine(dir, "meta.tsv"))[1].Split('\t');
        int n = int.Parse(meta[0], CultureInfo.InvariantCulture), d = int.Parse(meta[1], CultureInfo.InvariantCulture);
        double bandwidth = double.Parse(meta[2], CultureInfo.InvariantCulture);
        string[] regs = meta[3].Split(',');

        CompareRunner.Info("isa", Isa.Describe());
        CompareRunner.Info("workers", RfmFast.Core.Threading.WorkerPool.DefaultWorkers.ToString(CultureInfo.InvariantCulture));
        CompareRunner.Info("runtime", $"{RuntimeInformation.FrameworkDescription} {RuntimeInformation.OSDescription}");
        CompareRunner.Info("timing", $"best of {Repeats} solves, each from a fresh copy of A (copy not timed)");

        using var x = CompareRunner.Load<float>(Path.Combine(dir, "x.bin"), n, d);
        using var y = CompareRunner.Load<float>(Path.Combine(dir, "y.bin"), n, 1);
        using var k = new AlignedMatrix<float>(n, n);
        long t0 = Stopwatch.GetTimestamp();
        KernelMatrix.Compute(KernelFunction.Laplace(bandwidth), x.ReadOnly, x.ReadOnly, k.View);
        CompareRunner.Info("kernel", string.Create(CultureInfo.InvariantCulture,
            $"float32 Laplace L={bandwidth} {n} x {n}, d={d}: {Stopwatch.GetElapsedTime(t0).TotalSeconds:F3} s"));
        // KernelMatrix.Compute(X, X) is not bitwise symmetric (the two triangles come from different GEMM
        // tiles), and SpdSolver reads the lower triangle for the float factor but the upper one for the
        // double matrix and the mixed-precision residual: solve the symmetric matrix made of the lower
        // triangle, so that every precision (and the peer) solves the same system. The asymmetry is reported.
        var kv = k.View;
        double asym = 0;
        long differing = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double diff = Math.Abs((double)kv[i, j] - kv[j, i]);
                asym = Math.Max(asym, diff);
                differing += diff > 0 ? 1 : 0;
                kv[j, i] = kv[i, j];
            }
        }
        CompareRunner.Info("kernel-asymmetry", string.Create(CultureInfo.InvariantCulture,
            $"KernelMatrix.Compute(X, X): max |K_ij - K_ji| = {asym:G3} over {differing} of {(long)n * (n - 1) / 2} pairs (upper triangle then set from the lower)"));
        CompareRunner.Save(Path.Combine(dir, "k.bin"), k);

        using var original = new AlignedMatrix<float>(n, n);
        using var a = new AlignedMatrix<float>(n, n);
        using var sol = new AlignedMatrix<double>(n, 1);
        foreach (string regText in regs)
        {
            double reg = double.Parse(regText, CultureInfo.InvariantCulture);
            k.Span.CopyTo(original.Span);
            var ov = original.View;
            for (int i = 0; i < n; i++)
                ov[i, i] += (float)reg;
            foreach (SolvePrecision precision in (SolvePrecision[])[SolvePrecision.Float32, SolvePrecision.Float64, SolvePrecision.Mixed])
            {
                SolveReport report = default;
                string? failure = null;
                double best = double.PositiveInfinity;
                for (int r = 0; r < Repeats && failure is null; r++)
                {
                    original.Span.CopyTo(a.Span);
                    sol.Span.Clear();
                    long start = Stopwatch.GetTimestamp();
                    try
                    {
                        report = SpdSolver.Solve(a.View, y.ReadOnly, sol.View, precision);
                    }
                    catch (NotPositiveDefiniteException e)
                    {
                        failure = $"NotPositiveDefiniteException at pivot {e.Pivot} ({e.PivotValue:G3})";
                    }
                    best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
                }
                string file = $"x_{regText}_{precision}.bin";
                if (failure is null)
                    CompareRunner.Save(Path.Combine(dir, file), sol);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"solve\t{regText}\t{precision}\t{(failure is null ? report.Used.ToString() : "-")}\t"
                    + $"{(failure is null ? report.Refinements.ToString(CultureInfo.InvariantCulture) : "-")}\t"
                    + $"{(failure is null ? (report.FellBack ? "yes" : "no") : "-")}\t{report.BackwardError:R}\t{best:R}\t"
                    + $"{failure ?? report.Reason ?? ""}"));
            }
        }
        return 0;
    }
}
