using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace RfmFast.Bench;

/// <summary>
/// The RfmFast side of <c>bench/compare.sh fit|predict</c> (the peer: bench/peers/fit_peer.py on
/// ../shared/peers/numpy_rfm.py). Both sides read the same seeded synthetic data, which the peer writes once
/// into the work directory (data.tsv + raw little-endian float32 files).
/// <para><c>fit</c>: the whole <see cref="RfmRegressor.Fit(float[,], float[,], float[,], float[,], IProgress{RfmProgress}, System.Threading.CancellationToken)"/>
/// (Laplace L = 10, reg 1e-3, 5 AGOP rounds then the final kernel and solve, a validation set of n rows scored
/// every round), one fit per repetition after one warm-up fit on 500 rows, with the fit's peak memory and
/// per-phase times as info lines.</para>
/// <para><c>predict</c>: a model fitted once (in the check step) on the peer's data and saved with
/// <see cref="RfmModel.Save(string, IReadOnlyList{string}, string, IReadOnlyDictionary{string, string})"/>; the peer
/// reads centers, alpha and M from that file, the timing processes here <see cref="RfmModel.Load(string)"/> it.
/// Batch <see cref="RfmModel.PredictRaw(float[,])"/> and the zero-allocation single-sample
/// <see cref="RfmModel.PredictRaw(ReadOnlySpan{float}, Span{float})"/>.</para>
/// </summary>
static class CompareFit
{
    const int D = 100;
    const int WarmupRows = 500;
    const int SingleRows = 256;       // query rows cycled through by the single-sample timings (and checked)
    const int SingleCalls = 20_000;   // individually timed calls for the median / allocation line
    const int SingleWarmup = 2_000;

    /// <summary>numpy_rfm.fit's work: 5 rounds of kernel, solve, validation predict and AGOP, then the final
    /// kernel, solve and predict; no early stop, no holdout (the validation set is given), the mean AGOP over
    /// every training point (M = G, numpy_rfm's m_norm="n"), float throughout. SolvePrecision.Float32: the peer
    /// solves with a plain float32 Cholesky; the default Mixed would add double-precision refinement steps
    /// (and, when they stall, a double factorization) that the peer does not do.</summary>
    static RfmOptions FitOptions => new()
    {
        Kernel = RfmKernel.Laplace,
        Bandwidth = 10,
        Reg = 1e-3,
        Iterations = 5,
        AgopSampleSize = 0,
        Normalization = MetricNormalization.Mean,
        SolvePrecision = RfmSolvePrecision.Float32,
        Precision = FitPrecision.Float32,
        ValidationFraction = 0,
        EarlyStopMultiplier = double.MaxValue,
    };

    /// <summary>The predict suite's model: one AGOP round (so M is a learned, non-diagonal metric) and reg = 1.
    /// With reg 1e-3 the L = 10 kernel in d = 100 gives coefficients whose terms cancel (sum|k||alpha| / |f|
    /// about 2e4), so float32 rounding alone moves predictions by ~5e-4 relative on either side, above the
    /// 1e-4 agreement check; reg = 1 brings that ratio to ~1e3. The prediction's cost does not depend on the values.</summary>
    static RfmOptions PredictModelOptions => FitOptions with { Iterations = 1, Reg = 1, SolvePrecision = RfmSolvePrecision.Mixed };

    public static int Run(string suite, int reps, double minTime, bool quick, bool list, bool checksOnly, string? checkDir,
        string? dataDir, List<string> only)
    {
        var cases = suite == "fit" ? FitCases(quick) : PredictCases(quick);
        if (list)
        {
            foreach (var c in cases)
                Console.WriteLine(c.Name);
            return 0;
        }
        foreach (string name in only)
        {
            if (!cases.Exists(c => c.Name == name))
            {
                Console.Error.WriteLine($"no case '{name}' in suite {suite}; --list shows them");
                return 2;
            }
        }
        dataDir ??= checkDir;
        if (dataDir is null)
        {
            Console.Error.WriteLine($"compare {suite} needs --data-dir DIR (fit_peer.py make-data writes it)");
            return 2;
        }
        bool fit = suite == "fit";
        CompareRunner.PrintHeader(reps, minTime, fit
            ? $"one whole fit per repetition, best and median of {reps}, after one warm-up fit on the first {WarmupRows} rows"
            : null);
        CompareRunner.Info("options", fit
            ? "RfmRegressor: Laplace L = 10, reg 1e-3, Iterations = 5 (6 kernels, solves and validation predictions, 5 AGOPs: numpy_rfm.fit's 5 rounds + final), "
              + "validation data given (no holdout), EarlyStopMultiplier = MaxValue (no early stop), AgopSampleSize = 0 (all points), Normalization = Mean (numpy_rfm m_norm=\"n\"), "
              + "Precision = Float32, SolvePrecision = Float32 (the default Mixed adds double-precision refinement the peer's float32 Cholesky does not do); "
              + "the timed Fit also builds the model's single-sample tables (X M, |x_i|_M^2: 2 n d^2 flops)"
            : $"model: fitted by RfmFast on the peer's data (Laplace L = 10, reg 1, 1 AGOP round), saved and loaded; {SingleRows} query rows cycled through by the single-sample timings");
        if (checkDir is not null)
        {
            if (fit)
                CheckFit(checkDir);
            else
                foreach (int n in PredictSizes(quick))
                    CheckPredict(checkDir, n);
        }
        if (checksOnly)
            return 0;
        foreach (var c in cases)
            if (only.Count == 0 || only.Contains(c.Name))
                c.Run(dataDir, reps, minTime);
        return 0;
    }

    static List<(string Name, Action<string, int, double> Run)> FitCases(bool quick)
    {
        var list = new List<(string, Action<string, int, double>)>();
        foreach (int n in quick ? [1000, 2000] : (int[])[5000, 10000])
            foreach (int c in (int[])[1, 10])
                list.Add(($"fit n={n} d={D} c={c}", (dir, reps, _) => TimeFit(dir, n, c, reps)));
        return list;
    }

    static int[] PredictSizes(bool quick) => [quick ? 2000 : 10000];

    static List<(string Name, Action<string, int, double> Run)> PredictCases(bool quick)
    {
        int n = PredictSizes(quick)[0];
        return
        [
            ($"predict batch centers={n} rows={n} d={D}", (dir, reps, minTime) => TimeBatch(dir, n, reps, minTime)),
            ($"predict single centers={n} d={D}", (dir, reps, minTime) => TimeSingle(dir, n, reps, minTime)),
        ];
    }

    // ---- fit

    static void TimeFit(string dir, int n, int c, int reps)
    {
        string tag = $"fit_n{n}_c{c}";
        float[,] x = Load(dir, tag + "_x"), y = Load(dir, tag + "_y"), xv = Load(dir, tag + "_xv"), yv = Load(dir, tag + "_yv");
        // Warm-up on a small problem: the JIT, the worker threads, the code paths; not the n x n pages (a real fit pays those).
        new RfmRegressor(FitOptions).Fit(Rows(x, WarmupRows), Rows(y, WarmupRows), Rows(xv, WarmupRows), Rows(yv, WarmupRows));
        var times = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            if (r > 0)
            {
                long t0 = Stopwatch.GetTimestamp();
                new RfmRegressor(FitOptions).Fit(x, y, xv, yv);
                times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                continue;
            }
            // The first repetition also measures memory (later ones reuse the pool's resident n x n block) and phases.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            bool reset = ResetPeakRss();
            var (rss0, hwm0) = MemoryStatus();
            long managed0 = GC.GetTotalAllocatedBytes(precise: true);
            var phases = new PhaseClock();
            long start = Stopwatch.GetTimestamp();
            var model = new RfmRegressor(FitOptions).Fit(x, y, xv, yv, phases);
            times[0] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long managed = GC.GetTotalAllocatedBytes(precise: true) - managed0;
            var (_, hwm1) = MemoryStatus();
            long extra = hwm1 - (reset ? rss0 : hwm0);
            double matrix = 4.0 * n * n, nd = 4.0 * n * (D + c);
            CompareRunner.Info($"peak memory fit n={n} c={c}", string.Create(CultureInfo.InvariantCulture,
                $"peak extra memory / (n^2 * 4 B) = {extra / matrix:F2} ({extra / 1048576.0:F0} MiB over the RSS before the fit{(reset ? "" : " (VmHWM growth only: clear_refs not writable)")}; "
                + $"n^2 * 4 B = {matrix / 1048576:F0} MiB; n (d + c) * 4 B = {nd / 1048576:F1} MiB; managed bytes allocated during the fit {managed / 1048576.0:F1} MiB; "
                + $"the core's native pool reports no byte count, its blocks are in the RSS)"));
            CompareRunner.Info($"phases fit n={n} c={c}", phases.Describe(times[0]) + "; solves: "
                + string.Join(", ", model.History.Select(h => $"{h.Solve.Used}{(h.Solve.FellBack ? " fell back" : "")}")));
        }
        Array.Sort(times);
        CompareRunner.Report($"fit n={n} d={D} c={c}", 6.0 * n * (double)n * n / 3, (times[0], times[reps / 2], reps, 1));
    }

    /// <summary>Sums the time between consecutive progress reports per phase (a report marks a phase's end).</summary>
    sealed class PhaseClock : IProgress<RfmProgress>
    {
        readonly Dictionary<RfmPhase, double> _sums = [];
        TimeSpan _last;

        public void Report(RfmProgress value)
        {
            _sums[value.Phase] = _sums.GetValueOrDefault(value.Phase) + (value.Elapsed - _last).TotalSeconds;
            _last = value.Elapsed;
        }

        public string Describe(double total)
        {
            double Get(RfmPhase p) => _sums.GetValueOrDefault(p);
            double other = total - _sums.Values.Sum();
            return string.Create(CultureInfo.InvariantCulture,
                $"first timed fit {total:F3} s: kernel {Get(RfmPhase.Kernel):F3}, solve {Get(RfmPhase.Solve):F3}, validation predict {Get(RfmPhase.Validate):F3}, "
                + $"agop {Get(RfmPhase.Agop):F3}, other {other:F3} (input copies, model tables)");
        }
    }

    /// <summary>The fit check: the timed settings on fit_peer.py's small problem; the peer compares the
    /// per-iteration validation MSE with numpy_rfm.fit's.</summary>
    static void CheckFit(string dir)
    {
        var model = new RfmRegressor(FitOptions).Fit(Load(dir, "fitcheck_x"), Load(dir, "fitcheck_y"), Load(dir, "fitcheck_xv"), Load(dir, "fitcheck_yv"));
        File.WriteAllLines(Path.Combine(dir, "fitcheck_mse.txt"), model.History.Select(h => h.ValidationScore.ToString("R", CultureInfo.InvariantCulture)));
        Console.WriteLine("check\tfit_small\twritten");
    }

    // ---- predict

    /// <summary>Fits the predict suite's model on the peer's data, saves it for both sides' timing processes,
    /// and writes the loaded model's batch predictions of every query row and single-sample predictions of the
    /// first <see cref="SingleRows"/> for the peer to compare.</summary>
    static void CheckPredict(string dir, int n)
    {
        string tag = $"predict_n{n}", path = Path.Combine(dir, tag + ".rfm");
        new RfmRegressor(PredictModelOptions).Fit(Load(dir, tag + "_x"), Load(dir, tag + "_y")).Save(path);
        var model = RfmModel.Load(path);
        float[,] q = Load(dir, tag + "_q");
        Save(dir, tag + "_rfmfast_batch", model.PredictRaw(q));
        var single = new float[SingleRows, model.Outputs];
        var row = new float[q.GetLength(1)];
        var output = new float[model.Outputs];
        for (int i = 0; i < SingleRows; i++)
        {
            for (int j = 0; j < row.Length; j++)
                row[j] = q[i, j];
            model.PredictRaw(row, output);
            for (int k = 0; k < output.Length; k++)
                single[i, k] = output[k];
        }
        Save(dir, tag + "_rfmfast_single", single);
        Console.WriteLine($"check\t{tag}\twritten");
    }

    static void TimeBatch(string dir, int n, int reps, double minTime)
    {
        var model = RfmModel.Load(Path.Combine(dir, $"predict_n{n}.rfm"));
        float[,] q = Load(dir, $"predict_n{n}_q");
        CompareRunner.Report($"predict batch centers={n} rows={q.GetLength(0)} d={D}", 2.0 * q.GetLength(0) * n * D,
            CompareRunner.Measure(() => model.PredictRaw(q), reps, minTime));
    }

    static void TimeSingle(string dir, int n, int reps, double minTime)
    {
        var model = RfmModel.Load(Path.Combine(dir, $"predict_n{n}.rfm"));
        float[,] q = Load(dir, $"predict_n{n}_q");
        int d = q.GetLength(1);
        var rows = new float[SingleRows * d];
        for (int i = 0; i < SingleRows; i++)
            for (int j = 0; j < d; j++)
                rows[i * d + j] = q[i, j];
        var output = new float[model.Outputs];
        int next = 0;
        void Call()
        {
            next = (next + 1) % SingleRows;
            model.PredictRaw(rows.AsSpan(next * d, d), output);
        }
        CompareRunner.Report($"predict single centers={n} d={D}", 2.0 * n * D, CompareRunner.Measure(Call, reps, minTime));

        // The issue's figure: the median of individually timed calls, and what they allocated (the default
        // path: a large prediction shares its chunks of centers with a helper thread).
        var (median, p10, p90, thread, process) = TimeCalls(Call);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"single\t{median:R}\t{thread}\t{SingleCalls}\t{n}"));
        CompareRunner.Info($"single-sample centers={n}", string.Create(CultureInfo.InvariantCulture,
            $"median {median:F1} us, p10 {p10:F1}, p90 {p90:F1} over {SingleCalls} individually timed calls after {SingleWarmup} warm-up calls; "
            + $"allocated {thread} B in total over the {SingleCalls} calls on the calling thread (GC.GetAllocatedBytesForCurrentThread difference), {process} B process-wide"));
        // The same on the calling thread alone, for the ratio.
        model.ShareSingleSamplePredict = false;
        var alone = TimeCalls(Call);
        model.ShareSingleSamplePredict = true;
        CompareRunner.Info($"single-sample centers={n}, calling thread only (ShareSingleSamplePredict = false)", string.Create(CultureInfo.InvariantCulture,
            $"median {alone.Median:F1} us, p10 {alone.P10:F1}, p90 {alone.P90:F1}; allocated {alone.Thread} B; shared / alone median {median / alone.Median:F2}"));
        CompareRunner.Info($"single-sample centers={n}, metric rank", $"the timed model (1 AGOP round) uses {model.SingleSampleRank} of {d} directions");
        ReportMemoryFloor(n, model.SingleSampleRank, median, alone.Median);

        // The same data fitted with the library's default number of rounds (5): M's spectrum collapses and the
        // single-sample path keeps only the directions above float rounding (MetricFactor). RfmFast only: the
        // peer's one-row path has no such shortcut, and the timed case above stays the 1-round model.
        string tag = $"predict_n{n}";
        var deep = new RfmRegressor(PredictModelOptions with { Iterations = 5 }).Fit(Load(dir, tag + "_x"), Load(dir, tag + "_y"));
        var deepBatch = deep.PredictRaw(q);
        double err = 0, scale = 0;
        var o = new float[deep.Outputs];
        for (int i = 0; i < SingleRows; i++)
        {
            deep.PredictRaw(rows.AsSpan(i * d, d), o);
            err = Math.Max(err, Math.Abs(o[0] - deepBatch[i, 0]));
            scale = Math.Max(scale, Math.Abs(deepBatch[i, 0]));
        }
        void DeepCall()
        {
            next = (next + 1) % SingleRows;
            deep.PredictRaw(rows.AsSpan(next * d, d), output);
        }
        var deepTimes = TimeCalls(DeepCall);
        CompareRunner.Info($"single-sample centers={n}, model with 5 AGOP rounds (the default)", string.Create(CultureInfo.InvariantCulture,
            $"uses {deep.SingleSampleRank} of {d} directions; median {deepTimes.Median:F1} us, p10 {deepTimes.P10:F1}, p90 {deepTimes.P90:F1}; allocated {deepTimes.Thread} B; "
            + $"max |single - batch| / max |batch| over {SingleRows} rows {err / scale:E2}"));
    }

    /// <summary>The info line comparing the single-sample medians (shared, calling thread only) with the time to read
    /// the same bytes through the same chunks and hand-off (<see cref="StreamFloor"/>).</summary>
    static void ReportMemoryFloor(int n, int rank, double sharedMedian, double aloneMedian)
    {
        var floor = new StreamFloor(n, rank);
        var shared = TimeCalls(() => floor.Call(share: true));
        var one = TimeCalls(() => floor.Call(share: false));
        CompareRunner.Info($"single-sample centers={n}, memory floor", string.Create(CultureInfo.InvariantCulture,
            $"reading the {floor.Bytes / 1e6:F1} MB of packed centers once per call (same chunks and hand-off, a sum for arithmetic): "
            + $"median {shared.Median:F1} us shared ({floor.Bytes / 1e3 / shared.Median:F0} GB/s), {one.Median:F1} us on the calling thread "
            + $"({floor.Bytes / 1e3 / one.Median:F0} GB/s); the timed prediction is {sharedMedian / shared.Median:F2}x and {aloneMedian / one.Median:F2}x that"));
    }

    /// <summary>Median, p10 and p90 in microseconds of individually timed calls after a warm-up, and the bytes they
    /// allocated on this thread and process-wide.</summary>
    static (double Median, double P10, double P90, long Thread, long Process) TimeCalls(Action call)
    {
        for (int i = 0; i < SingleWarmup; i++)
            call();
        var t = new double[SingleCalls];
        long thread0 = GC.GetAllocatedBytesForCurrentThread();
        long process0 = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < SingleCalls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            t[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        long thread = GC.GetAllocatedBytesForCurrentThread() - thread0;
        long process = GC.GetTotalAllocatedBytes(precise: true) - process0;
        Array.Sort(t);
        return (t[SingleCalls / 2] * 1e6, t[SingleCalls / 10] * 1e6, t[SingleCalls * 9 / 10] * 1e6, thread, process);
    }

    // ---- data: fit_peer.py's data.tsv (name, rows, cols) and NAME.f32 (little-endian float32, row-major)

    static float[,] Load(string dir, string name)
    {
        foreach (string line in File.ReadLines(Path.Combine(dir, "data.tsv")))
        {
            string[] f = line.Split('\t');
            if (f[0] != name)
                continue;
            int rows = int.Parse(f[1], CultureInfo.InvariantCulture), cols = int.Parse(f[2], CultureInfo.InvariantCulture);
            byte[] bytes = File.ReadAllBytes(Path.Combine(dir, name + ".f32"));
            if (bytes.Length != 4L * rows * cols)
                throw new InvalidDataException($"{name}.f32 has {bytes.Length} bytes, not {rows} x {cols} floats.");
            var a = new float[rows, cols];
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(MemoryMarshal.CreateSpan(ref a[0, 0], rows * cols));
            return a;
        }
        throw new InvalidDataException($"{name} is not in {dir}/data.tsv (fit_peer.py make-data writes it).");
    }

    static void Save(string dir, string name, float[,] a)
    {
        int rows = a.GetLength(0), cols = a.GetLength(1);
        File.WriteAllBytes(Path.Combine(dir, name + ".f32"), MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref a[0, 0], rows * cols)).ToArray());
        File.AppendAllText(Path.Combine(dir, "data.tsv"), $"{name}\t{rows}\t{cols}\n");
    }

    static float[,] Rows(float[,] a, int rows)
    {
        int cols = a.GetLength(1);
        var r = new float[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                r[i, j] = a[i, j];
        return r;
    }

    // ---- memory (Linux /proc; zeros elsewhere)

    /// <summary>Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs, Linux 4.0+).</summary>
    static bool ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static (long Rss, long Hwm) MemoryStatus()
    {
        long rss = 0, hwm = 0;
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = Kib(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    hwm = Kib(line);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return (rss, hwm);

        static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
