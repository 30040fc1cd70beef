using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using RfmFast.Core;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

static class Program
{
    const string Usage = """
        RfmFast.Bench: BenchmarkDotNet suites and the peer-comparison driver (see bench/README.md).

          RfmFast.Bench --filter '*Gemm*' [--quick] [--tiers V512,V256|all] [BenchmarkDotNet options]
              BenchmarkDotNet suites GemmBenchmarks<T>, SyrkBenchmarks<T>, KernelMatrixBenchmarks, PredictBenchmarks,
              CholeskyFactorBenchmarks<T>, CholeskySolveBenchmarks<T>.
              --quick: 1 warm-up + 3 iterations of 100 ms instead of 2 + 5 of 250 ms.
              --tiers runs one job per ISA tier (DOTNET_EnableAVX512=0 / EnableAVX2=0 / EnableHWIntrinsic=0).
          RfmFast.Bench compare gemm|kernel|potrf|solve|eigh|potrf-mathnet|fit|predict [--reps N] [--min-time S] [--check-dir DIR] [--data-dir DIR] [--quick]
              Tab-separated timings for bench/compare.sh (fit and predict read the data fit_peer.py wrote into --data-dir).
          RfmFast.Bench precision DIR
              SpdSolver.Solve in float, double and mixed precision on DIR's data, for bench/precision.sh.
          RfmFast.Bench profile gemm|kernel [SECONDS]
              Loops one n=4096 sgemm (or one 10000 x 10000 d=100 Laplace kernel matrix) for a profiler.
        """;

    static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            Console.WriteLine(Isa.Describe());
            return 0;
        }
        if (args[0] == "compare")
            return CompareRunner.Run(args[1..]);
        if (args[0] == "profile")
            return Profile(args[1..]);
        if (args[0] == "precision")
            return PrecisionRunner.Run(args[1..]);

        List<IsaTier>? tiers = null;
        bool quick = false;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--tiers" && i + 1 < args.Length)
                tiers = BenchConfig.ParseTiers(args[++i]);
            else if (args[i] == "--quick")
                quick = true;
            else
                rest.Add(args[i]);
        }
        Console.WriteLine($"# RfmFast.Core: {Isa.Describe()}");
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], BenchConfig.Create(tiers, rest.Contains("--job") || rest.Contains("-j"), quick));
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors || summary.Reports.Length == 0)
                return 1;
        }
        return 0;
    }

    /// <summary>Loops one large call so a profiler (perf, dotnet-trace) sees the steady state.</summary>
    static int Profile(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "gemm";
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        Console.WriteLine($"profile {what} for {seconds} s; {Isa.Describe()}");
        Action call;
        IDisposable[] owned;
        double flops;
        if (what == "kernel")
        {
            var x = new AlignedMatrix<float>(10000, 100).Fill(4, normal: true);
            var z = new AlignedMatrix<float>(10000, 100).Fill(5, normal: true);
            var k = new AlignedMatrix<float>(10000, 10000);
            var kernel = KernelFunction.Laplace(10);
            call = () => KernelMatrix.Compute(kernel, x.ReadOnly, z.ReadOnly, k.View);
            owned = [x, z, k];
            flops = FlopFormulas.KernelMatrix(10000, 10000, 100);
        }
        else
        {
            var a = new AlignedMatrix<float>(4096, 4096).Fill(1);
            var b = new AlignedMatrix<float>(4096, 4096).Fill(2);
            var c = new AlignedMatrix<float>(4096, 4096);
            call = () => Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.No, 1f, a.ReadOnly, b.ReadOnly, 0f, c.View);
            owned = [a, b, c];
            flops = FlopFormulas.Gemm(4096, 4096, 4096);
        }
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            call();
            calls++;
        }
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{calls} calls, {elapsed / calls:F4} s per call, {flops * calls / elapsed / 1e9:F1} GFLOP/s"));
        foreach (IDisposable d in owned)
            d.Dispose();
        return 0;
    }
}
