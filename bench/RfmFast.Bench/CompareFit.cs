using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RfmFast.Bench;

/// <summary>
/// The RfmFast side of <c>bench/compare.sh fit|predict</c> (the peer: bench/peers/fit_peer.py on
/// ../shared/peers/numpy_rfm.py). <c>fit</c>: the whole RFM fit (Laplace L = 10, reg 1e-3, 5 AGOP rounds
/// then the final refit, a validation set of n rows scored every round, float32, no early stop) on
/// numpy_rfm.make_data's distribution. <c>predict</c>: batch predictions of 10000 rows, and one row at a
/// time through the zero-allocation single-sample path, from a model with 10000 centers and d = 100.
/// Prints the tab-separated lines compare_report.py reads.
/// </summary>
static class CompareFit
{
    const int D = 100;

    public static int Run(string suite, int reps, bool quick, bool list, bool checksOnly, string? checkDir, List<string> only)
    {
        var cases = suite == "fit" ? FitCases(quick) : PredictCases(quick);
        if (list)
        {
            foreach (var c in cases)
                Console.WriteLine(c.Name);
            return 0;
        }
        CompareRunner.PrintHeader(reps, 0);
        CompareRunner.Info("options", suite == "fit"
            ? "RfmRegressor: Laplace L = 10, reg 1e-3, Iterations = 5 (6 solves, like numpy_rfm.fit's 5 rounds + final), validation data given, EarlyStopMultiplier = inf, mean AGOP over all points, SolvePrecision = Mixed (float factor, double refinement: more work than the peer's plain float solve)"
            : "model: 10000 centers, d = 100, c = 1, Laplace L = 10");
        if (checkDir is not null)
            Check(checkDir);
        if (checksOnly)
            return 0;
        foreach (var c in cases)
            if (only.Count == 0 || only.Contains(c.Name))
                c.Run(reps);
        return 0;
    }

    static List<(string Name, Action<int> Run)> FitCases(bool quick)
    {
        var list = new List<(string, Action<int>)>();
        foreach (int n in quick ? [1000, 2000] : (int[])[5000, 10000])
            foreach (int c in (int[])[1, 10])
                list.Add(($"fit n={n} d={D} c={c}", reps => TimeFit(n, c, reps)));
        return list;
    }

    /// <summary>numpy_rfm.make_data's distribution: X standard normal, output k = (x_k &gt; 0) x_(k+1).</summary>
    static (float[,] X, float[,] Y) Data(int n, int d, int c, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n, d];
        var y = new float[n, c];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                x[i, j] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            for (int k = 0; k < c; k++)
                y[i, k] = x[i, k % d] > 0 ? x[i, (k + 1) % d] : 0;
        }
        return (x, y);
    }

    static RfmOptions FitOptions => new()
    {
        Bandwidth = 10, Reg = 1e-3, Iterations = 5, EarlyStopMultiplier = double.MaxValue, ValidationFraction = 0,
    };

    static void TimeFit(int n, int c, int reps)
    {
        var (x, y) = Data(n, D, c, 1);
        var (xv, yv) = Data(n, D, c, 2);
        // Warm-up on a small problem: JIT and the worker threads, not the n x n pages (a real fit pays those too).
        var (wx, wy) = Data(500, D, c, 3);
        new RfmRegressor(FitOptions).Fit(wx, wy, wx, wy);
        long hwmBefore = PeakRss();
        var times = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            new RfmRegressor(FitOptions).Fit(x, y, xv, yv);
            times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        long growth = PeakRss() - hwmBefore;
        double matrix = 4.0 * n * n;
        CompareRunner.Info($"peak memory fit n={n} c={c}",
            string.Create(CultureInfo.InvariantCulture, $"RSS high-water mark grew {growth / 1048576.0:F0} MiB during the fits = {growth / matrix:F2} x one n x n float matrix ({matrix / 1048576:F0} MiB); inputs {4.0 * (2 * n * (D + c)) / 1048576:F0} MiB"));
        Array.Sort(times);
        CompareRunner.Report($"fit n={n} d={D} c={c}", 6.0 * n * (double)n * n / 3, (times[0], times[reps / 2], reps, 1));
    }

    /// <summary>VmHWM of this process in bytes (Linux), 0 elsewhere.</summary>
    static long PeakRss()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        return 0;
    }

    static List<(string Name, Action<int> Run)> PredictCases(bool quick)
    {
        int n = quick ? 2000 : 10000;
        return
        [
            ($"predict batch centers={n} rows={n} d={D}", reps => TimePredict(n, reps, single: false)),
            ($"predict single centers={n} d={D}", reps => TimePredict(n, reps, single: true)),
        ];
    }

    static void TimePredict(int n, int reps, bool single)
    {
        var (x, y) = Data(n, D, 1, 1);
        var (q, _) = Data(n, D, 1, 2);
        var model = new RfmRegressor(FitOptions with { Iterations = 1 }).Fit(x, y);
        if (!single)
        {
            CompareRunner.Report($"predict batch centers={n} rows={n} d={D}", 2.0 * n * n * D,
                CompareRunner.Measure(() => model.PredictRaw(q), reps, 0.2));
            return;
        }
        var sample = new float[D];
        var output = new float[1];
        for (int j = 0; j < D; j++)
            sample[j] = q[0, j];
        for (int i = 0; i < 2000; i++)
            model.PredictRaw(sample, output);
        const int Calls = 20000;
        var t = new double[Calls];
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            model.PredictRaw(sample, output);
            t[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Array.Sort(t);
        CompareRunner.Info("single-sample", string.Create(CultureInfo.InvariantCulture,
            $"single-sample predict median: {t[Calls / 2] * 1e6:F1} us, allocated: {allocated} B (total over {Calls} calls, 10000 centers, d = 100)"));
        CompareRunner.Report($"predict single centers={n} d={D}", 2.0 * n * D, (t[0], t[Calls / 2], 1, Calls));
    }

    /// <summary>The peer wrote x, y, xv, yv (float64, row-major) and meta.txt "n d c"; we fit with validation and
    /// write our per-iteration validation MSE for the peer to compare with numpy_rfm.fit's.</summary>
    static void Check(string dir)
    {
        string metaPath = Path.Combine(dir, "fit_meta.txt");
        if (!File.Exists(metaPath))
            return;
        int[] m = [.. File.ReadAllText(metaPath).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        int n = m[0], d = m[1], c = m[2];
        float[,] Read(string name, int rows, int cols)
        {
            byte[] b = File.ReadAllBytes(Path.Combine(dir, name));
            var a = new float[rows, cols];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    a[i, j] = (float)BitConverter.ToDouble(b, 8 * (i * cols + j));
            return a;
        }
        var model = new RfmRegressor(FitOptions).Fit(Read("fit_x.f64", n, d), Read("fit_y.f64", n, c), Read("fit_xv.f64", n, d), Read("fit_yv.f64", n, c));
        File.WriteAllLines(Path.Combine(dir, "fit_mse_rfmfast.txt"), model.History.Select(h => h.ValidationScore.ToString("R", CultureInfo.InvariantCulture)));
        Console.WriteLine("check\tfit_small\twritten");
    }
}
