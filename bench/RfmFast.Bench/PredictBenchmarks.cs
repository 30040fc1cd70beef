using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace RfmFast.Bench;

/// <summary>
/// Single-sample prediction through <see cref="RfmModel.PredictRaw(ReadOnlySpan{float}, Span{float})"/>, the
/// zero-allocation path, from a model with 10000 centers and d = 100 (issue 4's latency figure; MemoryDiagnoser
/// in BenchConfig shows the bytes allocated per call, which must be 0), for a full-rank and a collapsed M, with
/// and without the helper thread.
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

    /// <summary>AGOP rounds of the model: 1 leaves M of full rank; 5 (the default) collapses it to a few
    /// directions, which the single-sample path then uses alone (MetricFactor).</summary>
    [Params(1, 5)]
    public int Rounds { get; set; }

    /// <summary>Share the centers with a helper thread (the default) or stay on the calling thread.</summary>
    [Params(true, false)]
    public bool Share { get; set; }

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
        _model = new RfmRegressor(new RfmOptions { Iterations = Rounds, ValidationFraction = 0 }).Fit(x, y);
        _model.ShareSingleSamplePredict = Share;
        for (int j = 0; j < D; j++)
            _sample[j] = (float)(rng.NextDouble() * 2 - 1);
    }

    [Benchmark]
    public void SingleSample() => _model!.PredictRaw(_sample, _output);

    public static double Flops(BenchmarkCase benchmarkCase) => 2.0 * FlopFormulas.Param(benchmarkCase, nameof(Centers)) * D;
}
