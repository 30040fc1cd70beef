using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace RfmFast.Bench;

/// <summary>
/// Single-sample prediction through <see cref="RfmModel.PredictRaw(ReadOnlySpan{float}, Span{float})"/>, the
/// zero-allocation path, from a model with 10000 centers and d = 100 (issue 4's latency figure; MemoryDiagnoser
/// in BenchConfig shows the bytes allocated per call, which must be 0).
/// </summary>
public class PredictBenchmarks : IFlopModel
{
    const int D = 100;
    RfmModel? _model;
    readonly float[] _sample = new float[D];
    readonly float[] _output = new float[1];

    /// <summary>The number of centers.</summary>
    [Params(10000)]
    public int Centers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchConfig.AssertTier();
        var rng = new Random(1);
        var x = new float[Centers, D];
        var y = new float[Centers, 1];
        for (int i = 0; i < Centers; i++)
        {
            for (int j = 0; j < D; j++)
                x[i, j] = (float)(rng.NextDouble() * 2 - 1);
            y[i, 0] = x[i, 0] > 0 ? x[i, 1] : 0;
        }
        _model = new RfmRegressor(new RfmOptions { Iterations = 1, ValidationFraction = 0 }).Fit(x, y);
        for (int j = 0; j < D; j++)
            _sample[j] = (float)(rng.NextDouble() * 2 - 1);
    }

    [Benchmark]
    public void SingleSample() => _model!.PredictRaw(_sample, _output);

    public static double Flops(BenchmarkCase benchmarkCase) => 2.0 * FlopFormulas.Param(benchmarkCase, nameof(Centers)) * D;
}
