using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using RfmFast.Core;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

/// <summary>Square C = A B (row-major, no transposes, beta = 0) on the best tier and all cores.</summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class GemmBenchmarks<T> : IFlopModel where T : unmanaged, IFloatingPointIeee754<T>
{
    AlignedMatrix<T>? _a, _b, _c;

    [Params(256, 512, 1024, 2048, 4096)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchConfig.AssertTier();
        _a = new AlignedMatrix<T>(N, N).Fill(1);
        _b = new AlignedMatrix<T>(N, N).Fill(2);
        _c = new AlignedMatrix<T>(N, N);
    }

    [Benchmark]
    public void Gemm() =>
        Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.No, T.One, _a!.ReadOnly, _b!.ReadOnly, T.Zero, _c!.View);

    [GlobalCleanup]
    public void Cleanup()
    {
        _a?.Dispose();
        _b?.Dispose();
        _c?.Dispose();
    }

    public static double Flops(BenchmarkCase benchmarkCase)
    {
        int n = FlopFormulas.Param(benchmarkCase, nameof(N));
        return FlopFormulas.Gemm(n, n, n);
    }
}
