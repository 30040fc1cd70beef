using System;
using System.Diagnostics;

namespace RfmFast.Tabular;

/// <summary>The RfmFast side: an <see cref="RfmClassifier"/> with standardised features and the library's defaults
/// otherwise (Laplace L = 10, reg 1e-3, 5 AGOP rounds, the best round chosen on a seeded 20 % holdout of the training
/// part). Change the options here.</summary>
internal static class RfmSide
{
    public static RfmOptions Options(int seed) => new() { Preprocessing = Preprocessing.Standardize, Seed = seed };

    /// <summary>A short description of <see cref="Options"/> for the table's header.</summary>
    public const string Description = "RfmClassifier, RfmOptions { Preprocessing = Standardize, Seed = seed }, library defaults otherwise";

    /// <summary>Fits on the training part and scores on the test part; skips a training part of more than
    /// <paramref name="maxRows"/> rows (a single RFM holds an n x n matrix).</summary>
    public static SideResult Run(SplitData s, int seed, int maxRows)
    {
        if (s.TrainRows > maxRows)
            return SideResult.Missing($"skipped: n > {maxRows}");
        var clock = Stopwatch.StartNew();
        RfmClassifierModel model = new RfmClassifier(Options(seed)).Fit(s.XTrain, s.LabelsTrain);
        double fit = clock.Elapsed.TotalSeconds;
        clock.Restart();
        int[] predicted = model.Predict(s.XTest);
        double predict = clock.Elapsed.TotalSeconds;
        return new SideResult(Metrics.Accuracy<int>(s.LabelsTest, predicted), fit, predict);
    }

    /// <summary>One small untimed fit and prediction (JIT, worker threads) before the first timed one.</summary>
    public static void WarmUp(SplitData s, int seed)
    {
        var (_, rows) = DataSplit.Stratified(s.LabelsTrain, Math.Min(0.5, 300.0 / s.TrainRows), seed); // ~300 rows, every class
        var model = new RfmClassifier(Options(seed)).Fit(DataSplit.Rows(s.XTrain, rows), DataSplit.Rows(s.LabelsTrain, rows));
        model.Predict(s.XTest);
    }
}
