using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace RfmFast.Tabular;

/// <summary>One LightGBM configuration: leaves, learning rate, boosting iterations; null fields are ML.NET's defaults.</summary>
internal sealed record LightGbmConfig(int? Leaves, double? LearningRate, int Iterations)
{
    public override string ToString() => $"{Leaves?.ToString() ?? "def"}/{LearningRate?.ToString("0.###") ?? "def"}/{Iterations}";
}

/// <summary>The LightGBM side through ML.NET: the multiclass trainer for every set (binary ones too, so there is one
/// code path), 2 threads, the seed given. The label is the class index 0..k-1 as a float, made a key by value
/// order; the predicted key is mapped back to that float and compared with the true index.</summary>
internal static class LightGbmSide
{
    /// <summary>ML.NET's defaults: only the columns, the seed and the threads are set (100 iterations).</summary>
    public static readonly LightGbmConfig Defaults = new(null, null, 100);

    static readonly int[] GridLeaves = [15, 31, 63];
    static readonly double[] GridRates = [0.05, 0.1];
    static readonly int[] GridIterations = [100, 300];

    /// <summary>The tuning grid: leaves {15, 31, 63} x learning rate {0.05, 0.1} x iterations {100, 300}; --quick: 2.</summary>
    public static LightGbmConfig[] Grid(bool quick) => quick
        ? [new(15, 0.1, 100), new(31, 0.1, 100)]
        : [.. from leaves in GridLeaves
              from rate in GridRates
              from iterations in GridIterations
              select new LightGbmConfig(leaves, rate, iterations)];

    sealed class Row
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    sealed class Prediction
    {
        public float PredictedIndex { get; set; }
    }

    /// <summary>Fits <paramref name="config"/> on (x, classes) and scores on the test rows.</summary>
    public static SideResult Run(float[,] xTrain, int[] classTrain, float[,] xTest, int[] classTest, LightGbmConfig config, int seed)
    {
        var ml = new MLContext(seed);
        IDataView train = Load(ml, xTrain, classTrain), test = Load(ml, xTest, classTest);
        var options = new LightGbmMulticlassTrainer.Options
        {
            LabelColumnName = "LabelKey",
            FeatureColumnName = nameof(Row.Features),
            NumberOfThreads = 2,
            Seed = seed,
            NumberOfIterations = config.Iterations,
            NumberOfLeaves = config.Leaves,
            LearningRate = config.LearningRate,
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(Row.Label),
                keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.LightGbm(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue(nameof(Prediction.PredictedIndex), "PredictedLabel"));
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        double fit = clock.Elapsed.TotalSeconds;
        clock.Restart();
        float[] predicted = [.. ml.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: true).Select(p => p.PredictedIndex)];
        double predict = clock.Elapsed.TotalSeconds;
        if (predicted.Length != classTest.Length)
            throw new InvalidOperationException($"LightGBM predicted {predicted.Length} rows of {classTest.Length}");
        int right = 0;
        for (int i = 0; i < predicted.Length; i++)
            right += predicted[i] == classTest[i] ? 1 : 0;
        double accuracy = (double)right / predicted.Length;
        // Cross-check of the label mapping (untimed): ML.NET's own accuracy compares the keys directly.
        double micro = ml.MulticlassClassification.Evaluate(model.Transform(test), labelColumnName: "LabelKey").MicroAccuracy;
        if (Math.Abs(micro - accuracy) > 1e-9)
            throw new InvalidOperationException($"LightGBM accuracy {accuracy} from the mapped-back labels, but ML.NET's MicroAccuracy is {micro}");
        return new SideResult(accuracy, fit, predict);
    }

    /// <summary>Tunes on a seeded stratified 80/20 split of the training part only (the best validation accuracy, the
    /// first in grid order on a tie), refits the best on the whole training part and scores on the test part. The fit
    /// time includes the tuning; the note names the chosen configuration.</summary>
    public static SideResult RunTuned(SplitData s, bool quick, int seed)
    {
        var clock = Stopwatch.StartNew();
        var inner = SplitData.Make(s.XTrain, s.LabelsTrain, s.ClassTrain, s.Classes, 0.2, seed);
        LightGbmConfig best = Defaults;
        double bestAccuracy = -1;
        foreach (var config in Grid(quick))
        {
            var r = Run(inner.XTrain, inner.ClassTrain, inner.XTest, inner.ClassTest, config, seed);
            double accuracy = r.Accuracy;
            Console.Error.WriteLine($"    grid {config}: inner accuracy {100 * accuracy:0.00} %, fit {r.FitSeconds:0.00} s");
            if (accuracy > bestAccuracy)
                (best, bestAccuracy) = (config, accuracy);
        }
        double tuning = clock.Elapsed.TotalSeconds;
        var final = Run(s.XTrain, s.ClassTrain, s.XTest, s.ClassTest, best, seed);
        return final with { FitSeconds = tuning + final.FitSeconds, Note = best.ToString() };
    }

    static IDataView Load(MLContext ml, float[,] x, int[] classIndex)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var rows = new List<Row>(n);
        for (int i = 0; i < n; i++)
        {
            var f = new float[d];
            for (int j = 0; j < d; j++)
                f[j] = x[i, j];
            rows.Add(new Row { Label = classIndex[i], Features = f });
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
