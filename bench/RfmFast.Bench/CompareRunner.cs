using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using RfmFast.Core;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

/// <summary>
/// The RfmFast side of bench/compare.sh: times the same shapes as bench/peers/numpy_peer.py and prints
/// tab-separated lines that bench/compare_report.py joins with the peer's:
/// <c>info	KEY	VALUE</c>, <c>result	CASE	BEST_S	MEDIAN_S	FLOPS	REPS	INNER</c> and <c>check	TAG	written</c>.
/// Timing (the same in the peer): two warm-up calls, then <c>inner</c> calls per repetition so that one
/// repetition lasts at least <c>--min-time</c> seconds, <c>--reps</c> repetitions; best and median of the
/// per-call times. With <c>--check-dir</c>, the inputs the peer wrote there (checks.tsv and raw
/// little-endian arrays) are run through the core and the outputs written back for the peer to compare.
/// </summary>
static partial class CompareRunner
{
    static readonly string[] Suites = ["gemm", "kernel", "potrf", "solve", "eigh", "potrf-mathnet", "fit", "predict"];

    const double KernelBandwidth = 10;

    public static int Run(string[] args)
    {
        if (args.Length < 1 || Array.IndexOf(Suites, args[0]) < 0)
        {
            Console.Error.WriteLine($"usage: RfmFast.Bench compare {string.Join('|', Suites)} [--reps N] [--min-time S] [--check-dir DIR] [--data-dir DIR (fit, predict)] [--quick] [--list] [--checks-only] [--case NAME]... [--first rfmfast|mathnet] [--peer-out FILE] [--large]");
            return 2;
        }
        string suite = args[0];
        int reps = 5;
        double minTime = 0.2;
        string? checkDir = null, dataDir = null;
        bool quick = false, list = false, checksOnly = false, mathnetFirst = false, large = false;
        string? peerOut = null;
        var only = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--min-time": minTime = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--check-dir": checkDir = args[++i]; break;
                case "--data-dir": dataDir = args[++i]; break;
                case "--quick": quick = true; break;
                case "--list": list = true; break;
                case "--checks-only": checksOnly = true; break;
                case "--case": only.Add(args[++i]); break;
                case "--first": mathnetFirst = args[++i] == "mathnet"; break;
                case "--peer-out": peerOut = args[++i]; break;
                case "--large": large = true; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        if (suite is "fit" or "predict")
            return CompareFit.Run(suite, reps, minTime, quick, list, checksOnly, checkDir, dataDir, only);
        if (suite == "potrf-mathnet")
            return MathNetPeer.Run(reps, minTime, quick ? [1000] : large ? [1000, 2000, 5000] : [1000, 2000],
                list, checksOnly, mathnetFirst, peerOut, only);
        List<(string Name, Action<int, double> Time)> cases = suite switch
        {
            "gemm" => GemmCases(quick ? [256, 512] : CompareShapes.GemmSizes),
            "kernel" => KernelCases(quick ? [(1000, 100)] : CompareShapes.KernelShapes),
            "potrf" => PotrfCases(quick ? [1000] : CompareShapes.PotrfSizes),
            "solve" => SolveCases(quick ? [2000] : CompareShapes.SolveSizes),
            _ => EighCases(quick ? [100] : CompareShapes.EighSizes),
        };
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

        PrintHeader(reps, minTime);
        if (suite == "eigh")
            Info("eigh", EigenBinding.Describe());

        if (checkDir is not null)
            RunChecks(checkDir);
        if (checksOnly)
            return 0;
        foreach (var c in cases)
        {
            if (only.Count == 0 || only.Contains(c.Name))
                c.Time(reps, minTime);
        }
        return 0;
    }

    /// <summary>The info lines every side process prints first: ISA, workers, runtime, timing, knobs.</summary>
    /// <param name="reps">Repetitions per case.</param>
    /// <param name="minTime">Seconds of back-to-back calls per repetition.</param>
    /// <param name="timing">A description of the timing scheme, when it is not the usual one.</param>
    internal static void PrintHeader(int reps, double minTime, string? timing = null)
    {
        Info("isa", Isa.Describe());
        Info("workers", WorkerPool.DefaultWorkers.ToString(CultureInfo.InvariantCulture));
        Info("runtime", $"{RuntimeInformation.FrameworkDescription} {RuntimeInformation.OSDescription}");
        Info("timing", timing ?? $"best and median of {reps} repetitions, each >= {minTime} s of back-to-back calls, after 2 warm-up calls");
        foreach (string name in (string[])["DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic",
                     "DOTNET_PreferredVectorBitWidth", Isa.ForceTierVariable])
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } v)
                Info("env", $"{name}={v}");
        }
    }

    internal static void Info(string key, string value) => Info(Console.Out, key, value);

    internal static void Info(TextWriter w, string key, string value) => w.WriteLine($"info\t{key}\t{value}");

    static List<(string, Action<int, double>)> GemmCases(int[] sizes)
    {
        var cases = new List<(string, Action<int, double>)>();
        foreach (int n in sizes)
        {
            cases.Add(($"sgemm n={n}", (reps, minTime) => TimeGemm<float>("sgemm", n, reps, minTime)));
            cases.Add(($"dgemm n={n}", (reps, minTime) => TimeGemm<double>("dgemm", n, reps, minTime)));
        }
        return cases;
    }

    static void TimeGemm<T>(string name, int n, int reps, double minTime) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var a = new AlignedMatrix<T>(n, n).Fill(1, normal: true);
        using var b = new AlignedMatrix<T>(n, n).Fill(2, normal: true);
        using var c = new AlignedMatrix<T>(n, n);
        // The same path as the public Blas.Gemm overloads (Isa.Best, all workers).
        Report($"{name} n={n}", FlopFormulas.Gemm(n, n, n), Measure(
            () => Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.No, T.One, a.ReadOnly, b.ReadOnly, T.Zero, c.View),
            reps, minTime));
    }

    static List<(string, Action<int, double>)> KernelCases((int N, int D)[] shapes)
    {
        var cases = new List<(string, Action<int, double>)>();
        foreach ((int n, int d) in shapes)
            cases.Add((CompareShapes.KernelCase(n, d), (reps, minTime) => TimeKernel(n, d, reps, minTime)));
        return cases;
    }

    static void TimeKernel(int n, int d, int reps, double minTime)
    {
        var kernel = KernelFunction.Laplace(KernelBandwidth);
        using var x = new AlignedMatrix<float>(n, d).Fill(4, normal: true);
        using var z = new AlignedMatrix<float>(n, d).Fill(5, normal: true);
        using var k = new AlignedMatrix<float>(n, n);
        Report(CompareShapes.KernelCase(n, d), FlopFormulas.KernelMatrix(n, n, d),
            Measure(() => KernelMatrix.Compute(kernel, x.ReadOnly, z.ReadOnly, k.View), reps, minTime));
    }

    internal static void Report(string name, double flops, (double Best, double Median, int Reps, int Inner) t) =>
        Report(Console.Out, name, flops, t);

    internal static void Report(TextWriter w, string name, double flops, (double Best, double Median, int Reps, int Inner) t) =>
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result\t{name}\t{t.Best:R}\t{t.Median:R}\t{flops:R}\t{t.Reps}\t{t.Inner}"));

    /// <summary>Two warm-up calls, an inner count calibrated on a third, then <paramref name="reps"/> timed
    /// repetitions of <c>inner</c> calls each; returns the best and median seconds per call.</summary>
    /// <remarks>With <paramref name="restore"/> (for calls that overwrite their input, like an in-place
    /// factorization), every call is preceded by <paramref name="restore"/> outside the timed region: each
    /// call is timed on its own and a repetition's time is the sum of its calls' times. The peer does the same.</remarks>
    internal static (double Best, double Median, int Reps, int Inner) Measure(Action call, int reps, double minTime, Action? restore = null)
    {
        if (restore is not null)
            return MeasureRestoring(call, restore, reps, minTime);
        call();
        call();
        long t0 = Stopwatch.GetTimestamp();
        call();
        double one = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        int inner = (int)Math.Clamp(Math.Ceiling(minTime / Math.Max(one, 1e-9)), 1, 100_000);
        var times = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++)
                call();
            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / inner;
        }
        Array.Sort(times);
        return (times[0], times[reps / 2], reps, inner);
    }

    static (double Best, double Median, int Reps, int Inner) MeasureRestoring(Action call, Action restore, int reps, double minTime)
    {
        double Timed()
        {
            restore();
            long t0 = Stopwatch.GetTimestamp();
            call();
            return Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Timed();
        Timed();
        double one = Timed();
        int inner = (int)Math.Clamp(Math.Ceiling(minTime / Math.Max(one, 1e-9)), 1, 100_000);
        var times = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            double sum = 0;
            for (int i = 0; i < inner; i++)
                sum += Timed();
            times[r] = sum / inner;
        }
        Array.Sort(times);
        return (times[0], times[reps / 2], reps, inner);
    }

    /// <summary>Runs every line of DIR/checks.tsv (written by numpy_peer.py make-checks) through the core.</summary>
    static void RunChecks(string dir)
    {
        string manifest = Path.Combine(dir, "checks.tsv");
        foreach (string line in File.ReadAllLines(manifest))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            string[] f = line.Split('\t');
            string kind = f[0], tag = f[1], dtype = f[2];
            int[] dims = Array.ConvertAll(f[3..], s => int.TryParse(s, CultureInfo.InvariantCulture, out int v) ? v : 0);
            string P(string suffix) => Path.Combine(dir, $"{tag}_{suffix}.bin");
            switch (kind, dtype)
            {
                case ("gemm", "float32"): CheckGemm<float>(f, P); break;
                case ("gemm", "float64"): CheckGemm<double>(f, P); break;
                case ("syrk", "float32"): CheckSyrk<float>(dims[0], dims[1], P); break;
                case ("syrk", "float64"): CheckSyrk<double>(dims[0], dims[1], P); break;
                case ("laplace", "float32"): CheckLaplace(dims[0], dims[1], dims[2], f[6] == "self", f[7], P); break;
                case ("potrf", "float32"): CheckPotrf<float>(dims[0], P); break;
                case ("potrf", "float64"): CheckPotrf<double>(dims[0], P); break;
                case ("potrs", "float32"): CheckPotrs<float>(dims[0], dims[1], P); break;
                case ("potrs", "float64"): CheckPotrs<double>(dims[0], dims[1], P); break;
                case ("eigh", "float32"): CheckEigh<float>(dims[0], P); break;
                case ("eigh", "float64"): CheckEigh<double>(dims[0], P); break;
                default: throw new InvalidDataException($"checks.tsv: unknown check '{line}'.");
            }
            Console.WriteLine($"check\t{tag}\twritten");
        }
    }

    // gemm TAG DTYPE M N K TA TB ALPHA BETA: C = alpha op(A) op(B) + beta C0 (C starts as NaN when beta = 0,
    // to check that beta = 0 does not read C).
    static void CheckGemm<T>(string[] f, Func<string, string> path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = int.Parse(f[3], CultureInfo.InvariantCulture), n = int.Parse(f[4], CultureInfo.InvariantCulture);
        int k = int.Parse(f[5], CultureInfo.InvariantCulture);
        bool ta = f[6] == "T", tb = f[7] == "T";
        T alpha = T.Parse(f[8], CultureInfo.InvariantCulture), beta = T.Parse(f[9], CultureInfo.InvariantCulture);
        using var a = Load<T>(path("a"), ta ? k : m, ta ? m : k);
        using var b = Load<T>(path("b"), tb ? n : k, tb ? k : n);
        using var c = beta == T.Zero ? NaNs<T>(m, n) : Load<T>(path("c0"), m, n);
        Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, ta ? Transpose.Yes : Transpose.No, tb ? Transpose.Yes : Transpose.No,
            alpha, a.ReadOnly, b.ReadOnly, beta, c.View);
        Save(path("c_rfmfast"), c);
    }

    // syrk TAG DTYPE N K: lower C = A A^T with C starting as NaN (beta = 0): the upper triangle must stay NaN.
    static void CheckSyrk<T>(int n, int k, Func<string, string> path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var a = Load<T>(path("a"), n, k);
        using var c = NaNs<T>(n, n);
        Blas.Syrk(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, T.One, a.ReadOnly, T.Zero, c.View);
        Save(path("c_rfmfast"), c);
    }

    // laplace TAG float32 N M D same|self L: K = exp(-|x_i - z_j| / L); "self" passes X as Z.
    static void CheckLaplace(int n, int m, int d, bool self, string bandwidth, Func<string, string> path)
    {
        using var x = Load<float>(path("x"), n, d);
        using var z = self ? null : Load<float>(path("z"), m, d);
        using var k = NaNs<float>(n, m);
        var kernel = KernelFunction.Laplace(double.Parse(bandwidth, CultureInfo.InvariantCulture));
        KernelMatrix.Compute(kernel, x.ReadOnly, self ? x.ReadOnly : z!.ReadOnly, k.View);
        Save(path("k_rfmfast"), k);
    }

    internal static AlignedMatrix<T> NaNs<T>(int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new AlignedMatrix<T>(rows, cols);
        c.Span.Fill(T.NaN);
        return c;
    }

    internal static AlignedMatrix<T> Load<T>(string file, int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] bytes = File.ReadAllBytes(file);
        var m = new AlignedMatrix<T>(rows, cols);
        Span<byte> dest = MemoryMarshal.AsBytes(m.Span);
        if (bytes.Length != dest.Length)
            throw new InvalidDataException($"{file}: {bytes.Length} bytes, expected {dest.Length} for {rows} x {cols} {typeof(T).Name}.");
        bytes.CopyTo(dest);
        return m;
    }

    internal static void Save<T>(string file, AlignedMatrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> =>
        File.WriteAllBytes(file, MemoryMarshal.AsBytes(m.Span));
}

/// <summary>The shapes both sides of the comparison time; numpy_peer.py repeats them (and checks that the
/// two sides printed the same case names).</summary>
static class CompareShapes
{
    public static readonly int[] GemmSizes = [256, 512, 1024, 2048, 4096];

    public static readonly (int N, int D)[] KernelShapes = [(1000, 100), (4000, 16), (4000, 1024), (10000, 100)];

    public static string KernelCase(int n, int d) => $"laplace f32 n=m={n} d={d}";

    public static readonly int[] PotrfSizes = [1000, 2000, 5000, 10000];

    public static readonly int[] SolveSizes = [2000, 5000, 10000];

    public static readonly int[] SolveRhs = [1, 10];

    public static readonly int[] EighSizes = [100, 500, 1000];

    /// <summary>The SPD test matrix of the potrf and solve suites (both sides build it the same way from their
    /// own generator): the Laplace kernel matrix exp(-|x_i - x_j| / 10) of n standard normal points in
    /// <see cref="SpdDim"/> dimensions, plus <see cref="SpdReg"/> I, RFM's system matrix.</summary>
    public const int SpdDim = 16;

    public const double SpdBandwidth = 10;

    public const double SpdReg = 1e-3;

    public static string Prefix<T>() => typeof(T) == typeof(float) ? "f32" : "f64";

    public static string PotrfCase<T>(int n) => $"{(typeof(T) == typeof(float) ? "spotrf" : "dpotrf")} n={n}";

    public static string SolveCase<T>(int n, int c) => $"cho_solve {Prefix<T>()} n={n} c={c}";

    public static string EighCase<T>(int d) => $"eigh {Prefix<T>()} d={d}";
}
