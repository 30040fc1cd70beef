using System.Collections.Generic;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using RfmFast.Core;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

/// <summary>One SYRK shape: C (n x n, lower) = A A^T with A n x k.</summary>
public readonly record struct SyrkShape(int N, int K)
{
    public override string ToString() => $"n={N},k={K}";
}

/// <summary>Lower C = A A^T (A n x k, beta = 0): the Gram matrix of the Cholesky update and the AGOP.</summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class SyrkBenchmarks<T> : IFlopModel where T : unmanaged, IFloatingPointIeee754<T>
{
    AlignedMatrix<T>? _a, _c;

    /// <summary>n = 1000, 2000, 4096, each with k = n and with k = 256.</summary>
    public static IEnumerable<SyrkShape> Shapes()
    {
        foreach (int n in (int[])[1000, 2000, 4096])
        {
            yield return new SyrkShape(n, n);
            yield return new SyrkShape(n, 256);
        }
    }

    [ParamsSource(nameof(Shapes))]
    public SyrkShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchConfig.AssertTier();
        _a = new AlignedMatrix<T>(Shape.N, Shape.K).Fill(3);
        _c = new AlignedMatrix<T>(Shape.N, Shape.N);
    }

    [Benchmark]
    public void Syrk() =>
        Blas.Syrk(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, T.One, _a!.ReadOnly, T.Zero, _c!.View);

    [GlobalCleanup]
    public void Cleanup()
    {
        _a?.Dispose();
        _c?.Dispose();
    }

    public static double Flops(BenchmarkCase benchmarkCase)
    {
        var shape = (SyrkShape)benchmarkCase.Parameters[nameof(Shape)];
        return FlopFormulas.Syrk(shape.N, shape.K);
    }
}
