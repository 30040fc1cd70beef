using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using RfmFast.Core;

namespace RfmFast.Bench;

/// <summary>
/// The Laplace kernel matrix K = exp(-|x_i - z_j| / L), float, n = m, through the public fused API
/// (norms, one GEMM -2 X Z^T, clamp, sqrt and exp in the GEMM epilogue). 9 cases; the largest
/// (10000 x 10000, d = 1024) is about 0.2 TFLOP per call.
/// </summary>
public class KernelMatrixBenchmarks : IFlopModel
{
    const double Bandwidth = 10;
    AlignedMatrix<float>? _x, _z, _k;
    readonly KernelFunction _kernel = KernelFunction.Laplace(Bandwidth);

    /// <summary>n = m, the number of rows of X and of Z.</summary>
    [Params(1000, 4000, 10000)]
    public int N { get; set; }

    /// <summary>The feature dimension d.</summary>
    [Params(16, 100, 1024)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchConfig.AssertTier();
        _x = new AlignedMatrix<float>(N, D).Fill(4, normal: true);
        _z = new AlignedMatrix<float>(N, D).Fill(5, normal: true);
        _k = new AlignedMatrix<float>(N, N);
    }

    [Benchmark]
    public void Laplace() => KernelMatrix.Compute(_kernel, _x!.ReadOnly, _z!.ReadOnly, _k!.View);

    [GlobalCleanup]
    public void Cleanup()
    {
        _x?.Dispose();
        _z?.Dispose();
        _k?.Dispose();
    }

    public static double Flops(BenchmarkCase benchmarkCase)
    {
        int n = FlopFormulas.Param(benchmarkCase, nameof(N));
        int d = FlopFormulas.Param(benchmarkCase, nameof(D));
        return FlopFormulas.KernelMatrix(n, n, d);
    }
}
