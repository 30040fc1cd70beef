using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using RfmFast.Core;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

/// <summary>
/// Cholesky.Factor in place on the SPD matrix of compare.sh potrf (Laplace kernel of 16-d normal points +
/// 1e-3 I), n = 1000, 2000, 5000.
/// </summary>
/// <remarks>
/// The factorization overwrites its input, so every invocation needs the matrix back. This suite restores
/// it in an [IterationSetup] (a copy from the saved original, outside the measurement) and runs exactly one
/// invocation per iteration (<c>InvocationCount(1)</c>, unroll factor 1), so each measured iteration is one
/// factorization of a freshly restored matrix. That is BenchmarkDotNet's documented use of [IterationSetup]
/// (for calls of milliseconds and more, which these are: ~2 ms at n = 1000 float up to ~1 s at n = 5000
/// double); more iterations than the default job (15) make up for one call per iteration.
/// </remarks>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
[InvocationCount(1, 1)]
[IterationCount(15)]
public class CholeskyFactorBenchmarks<T> : IFlopModel where T : unmanaged, IFloatingPointIeee754<T>
{
    AlignedMatrix<T>? _original, _a;

    [Params(1000, 2000, 5000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchConfig.AssertTier();
        _original = CompareRunner.SpdMatrix<T>(N, seed: 6);
        _a = new AlignedMatrix<T>(N, N);
    }

    /// <summary>Puts the SPD matrix back (not measured).</summary>
    [IterationSetup]
    public void Restore() => _original!.Span.CopyTo(_a!.Span);

    [Benchmark]
    public void Factor() => Cholesky.Factor(Isa.Best, WorkerPool.DefaultWorkers, _a!.View);

    [GlobalCleanup]
    public void Cleanup()
    {
        _original?.Dispose();
        _a?.Dispose();
    }

    public static double Flops(BenchmarkCase benchmarkCase) => FlopFormulas.Potrf(FlopFormulas.Param(benchmarkCase, nameof(N)));
}

/// <summary>One Cholesky solve shape: n x n factor, c right-hand sides.</summary>
public readonly record struct SolveShape(int N, int C)
{
    public override string ToString() => $"n={N},c={C}";
}

/// <summary>
/// Cholesky.Solve (L L^T X = B, B n x c overwritten) with the factor of compare.sh's SPD matrix computed once
/// in [GlobalSetup]; n = 2000, 5000 with c = 1 and 10.
/// </summary>
/// <remarks>
/// B is restored inside the benchmark (an n x c copy, counted in the time): at most 2 n c element moves
/// against 2 n^2 c flops and an n^2 / 2 read of L, i.e. under 0.1% here, so the usual back-to-back
/// invocations are kept instead of [IterationSetup].
/// </remarks>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class CholeskySolveBenchmarks<T> : IFlopModel where T : unmanaged, IFloatingPointIeee754<T>
{
    AlignedMatrix<T>? _l, _b0, _b;

    public static System.Collections.Generic.IEnumerable<SolveShape> Shapes()
    {
        foreach (int n in (int[])[2000, 5000])
        {
            yield return new SolveShape(n, 1);
            yield return new SolveShape(n, 10);
        }
    }

    [ParamsSource(nameof(Shapes))]
    public SolveShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchConfig.AssertTier();
        _l = CompareRunner.SpdMatrix<T>(Shape.N, seed: 6);
        Cholesky.Factor(Isa.Best, WorkerPool.DefaultWorkers, _l.View);
        _b0 = new AlignedMatrix<T>(Shape.N, Shape.C).Fill(7, normal: true);
        _b = new AlignedMatrix<T>(Shape.N, Shape.C);
    }

    [Benchmark]
    public void Solve()
    {
        _b0!.Span.CopyTo(_b!.Span);
        Cholesky.Solve(Isa.Best, WorkerPool.DefaultWorkers, _l!.ReadOnly, _b.View);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _l?.Dispose();
        _b0?.Dispose();
        _b?.Dispose();
    }

    public static double Flops(BenchmarkCase benchmarkCase)
    {
        var shape = (SolveShape)benchmarkCase.Parameters[nameof(Shape)];
        return FlopFormulas.Potrs(shape.N, shape.C);
    }
}
