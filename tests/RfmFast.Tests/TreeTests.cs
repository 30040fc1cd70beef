using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using RfmFast.Persistence;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>The tree of RFMs (xRFM): when it is built, how it splits and routes, what it predicts, how it saves.</summary>
public sealed class TreeTests
{
    const int D = 6;

    /// <summary>800 rows in leaves of 200; half that under the emulated legs (RFMFAST_TEST_SCALE below 1), still 4 leaves.</summary>
    static readonly int Rows = double.TryParse(Environment.GetEnvironmentVariable("RFMFAST_TEST_SCALE"), System.Globalization.NumberStyles.Float,
        System.Globalization.CultureInfo.InvariantCulture, out double scale) && scale < 1 ? 400 : 800;

    static readonly int LeafSize = Rows / 4;

    static RfmOptions TreeOptions(TreeRouting routing = TreeRouting.Hard, FitPrecision precision = FitPrecision.Float32) => new()
    {
        Iterations = 2,
        Precision = precision,
        Tree = new TreeOptions { MaxLeafSize = LeafSize, SplitSampleSize = 200, Routing = routing },
    };

    /// <summary>A target with a step along x0 (what a split should find) and smooth parts.</summary>
    static (float[,] X, float[] Y) Data(int rows, int seed)
    {
        var x = Gaussian(rows, D, seed);
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
            y[i] = (float)((x[i, 0] > 0 ? 2 : -2) + Math.Sin(2 * x[i, 1]) + 0.5 * x[i, 2] * x[i, 0]);
        return (x, y);
    }

    static double Mse(float[] p, float[] y) => p.Zip(y, (a, b) => (double)(a - b) * (a - b)).Average();

    [Fact]
    public void More_rows_than_the_leaf_size_build_a_balanced_tree_whose_leaves_hold_every_row_once()
    {
        var (x, y) = Data(Rows, 1);
        var progress = new List<RfmProgress>();
        var model = new RfmRegressor(TreeOptions()).Fit(x, y, progress: new SyncProgress(progress), cancellationToken: Ct);
        Assert.True(model.IsTree);
        var tree = model.Tree!;
        Assert.Equal(4, tree.Leaves.Count);
        Assert.Equal(3, tree.Splits.Count);
        Assert.Equal(2, tree.Depth);
        Assert.Equal(Rows, model.Centers);
        Assert.All(tree.Leaves, l => Assert.Equal(Rows / 4, l.Centers));
        Assert.Equal(-1, model.BestIteration);
        Assert.Empty(model.History);
        Assert.All(tree.Splits, s => Assert.Equal(1.0, Math.Sqrt(s.Direction.Sum(v => v * v)), 12));
        // The root's AGOP direction is dominated by the step's coordinate.
        var root = tree.Splits[0].Direction;
        Assert.Equal(0, Enumerable.Range(0, D).MaxBy(j => Math.Abs(root[j])));
        // Progress names the split nodes, then every leaf with the leaf count.
        Assert.Equal([0, 1, 2], progress.Where(p => p.Phase == RfmPhase.Split).Select(p => p.Node));
        Assert.Equal([0, 1, 2, 3], progress.Where(p => p.Phase == RfmPhase.Solve).Select(p => p.Node).Distinct());
        Assert.All(progress, p => Assert.Equal(4, p.Leaves));
    }

    [Fact]
    public void The_tree_learns_a_target_with_a_step_nearly_as_well_as_one_rfm_on_four_times_the_rows()
    {
        var (x, y) = Data(Rows, 2);
        var (xt, yt) = Data(400, 3);
        var tree = new RfmRegressor(TreeOptions()).Fit(x, y, cancellationToken: Ct);
        var single = new RfmRegressor(TreeOptions() with { Tree = new TreeOptions { Mode = TreeMode.Never } }).Fit(x, y, cancellationToken: Ct);
        Assert.False(single.IsTree);
        double treeMse = Mse(tree.Predict(xt), yt), singleMse = Mse(single.Predict(xt), yt);
        double variance = yt.Select(v => (double)v).Select(v => (v - yt.Average()) * (v - yt.Average())).Average();
        Assert.True(treeMse < 0.1 * variance, $"tree MSE {treeMse}, variance {variance}");
        // Leaves of 200 rows see a quarter of the data each (at 1200 rows: 0.35 against 0.15 for one RFM over all).
        Assert.True(treeMse < 3 * singleMse, $"tree MSE {treeMse}, one RFM {singleMse}");
    }

    [Fact]
    public void Each_row_is_predicted_by_the_leaf_its_projections_route_it_to()
    {
        var (x, y) = Data(Rows, 4);
        var model = new RfmRegressor(TreeOptions()).Fit(x, y, cancellationToken: Ct);
        var tree = model.Tree!;
        var body = model.SingleBody!;
        var (xt, _) = Data(50, 5);
        for (int i = 0; i < 50; i++)
        {
            float[] row = Row(xt, i);
            int node = 0, leaf;
            while (true)
            {
                var s = tree.Splits[node];
                double p = 0;
                for (int j = 0; j < D; j++)
                    p += s.Direction[j] * row[j];
                int next = p <= s.Threshold ? s.Left : s.Right;
                if (next < 0)
                {
                    leaf = ~next;
                    break;
                }
                node = next;
            }
            Assert.Equal(leaf, TreeRouter.Leaf<float>(body.Splits, row));
        }
    }

    [Fact]
    public void A_tree_single_sample_prediction_agrees_with_the_batch_and_allocates_nothing()
    {
        var (x, y) = Data(Rows, 6);
        var (xt, _) = Data(64, 7);
        foreach (var routing in new[] { TreeRouting.Hard, TreeRouting.Soft })
        {
            var o = TreeOptions(routing);
            if (routing == TreeRouting.Soft)
                o = o with { Tree = o.Tree with { Temperature = 0.5 } };
            var model = new RfmRegressor(o).Fit(x, y, cancellationToken: Ct);
            Assert.Equal(routing == TreeRouting.Soft ? 0.5 : 0, model.Tree!.Temperature);
            var batch = model.Predict(xt);
            var one = new float[1];
            for (int i = 0; i < 64; i++)
            {
                model.PredictRaw(Row(xt, i), one);
                Assert.Equal(batch[i], one[0], 0.02 * (1 + Math.Abs(batch[i])));
            }
            float[] sample = Row(xt, 3);
            model.PredictRaw(sample, one);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
                model.PredictRaw(sample, one);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Soft_routing_weights_sum_to_one_and_temperature_zero_is_hard_routing()
    {
        var (x, y) = Data(Rows, 8);
        var model = new RfmRegressor(TreeOptions()).Fit(x, y, cancellationToken: Ct);
        var splits = model.SingleBody!.Splits;
        // Fresh rows: a training row can sit exactly on a threshold, where even a tiny temperature splits it evenly.
        var (xt, _) = Data(20, 18);
        var logs = new double[4];
        var leaves = new int[TreeRouter.MaxSoftLeaves];
        var weights = new double[TreeRouter.MaxSoftLeaves];
        for (int i = 0; i < 20; i++)
        {
            float[] row = Row(xt, i);
            int kept = TreeRouter.Soft<float>(splits, 1.0, row, logs, leaves, weights);
            Assert.InRange(kept, 1, 4);
            Assert.Equal(1.0, weights.Take(kept).Sum(), 12);
            Assert.Equal(kept, leaves.Take(kept).Distinct().Count());
            Assert.Equal(1, TreeRouter.Soft<float>(splits, 0, row, logs, leaves, weights));
            Assert.Equal(TreeRouter.Leaf<float>(splits, row), leaves[0]);
            // A very low temperature puts all the weight on the hard leaf.
            Assert.Equal(1, TreeRouter.Soft<float>(splits, 1e-9, row, logs, leaves, weights));
            Assert.Equal(TreeRouter.Leaf<float>(splits, row), leaves[0]);
        }
    }

    [Fact]
    public void Soft_routing_chooses_its_temperature_on_validation_data()
    {
        var (x, y) = Data(Rows, 9);
        var (xv, yv) = Data(300, 10);
        var model = new RfmRegressor(TreeOptions(TreeRouting.Soft)).Fit(x, y, xv, yv, cancellationToken: Ct);
        double t = model.Tree!.Temperature;
        Assert.True(t == 0 || (t >= 0.025 && t <= 4.5 + 1e-12), $"temperature {t}");
        // Without validation data a holdout of the training rows chooses it: those rows are not centers.
        var held = new RfmRegressor(TreeOptions(TreeRouting.Soft)).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(Rows - (int)Math.Round(Rows * 0.2), held.Centers);
    }

    [Fact]
    public void The_same_seed_gives_the_same_tree_and_the_same_predictions()
    {
        var (x, y) = Data(Rows, 11);
        var a = new RfmRegressor(TreeOptions()).Fit(x, y, cancellationToken: Ct);
        var b = new RfmRegressor(TreeOptions()).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(a.PredictRaw(x).Cast<float>(), b.PredictRaw(x).Cast<float>());
        var c = new RfmRegressor(TreeOptions() with { Seed = 5 }).Fit(x, y, cancellationToken: Ct);
        Assert.NotEqual(a.Tree!.Splits[1].Threshold, c.Tree!.Splits[1].Threshold);
    }

    [Theory]
    [InlineData(SplitRule.Pca)]
    [InlineData(SplitRule.Random)]
    public void The_comparison_split_rules_build_trees_too(SplitRule rule)
    {
        var (x, y) = Data(Rows, 12);
        var o = TreeOptions();
        var model = new RfmRegressor(o with { Tree = o.Tree with { SplitRule = rule } }).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(4, model.Tree!.Leaves.Count);
        Assert.Equal(Rows, model.Centers);
    }

    [Fact]
    public void Tree_mode_always_and_never_override_the_leaf_size()
    {
        var (x, y) = Data(200, 13);
        var always = new RfmRegressor(new RfmOptions { Iterations = 1, Tree = new TreeOptions { Mode = TreeMode.Always } }).Fit(x, y, cancellationToken: Ct);
        Assert.False(always.IsTree); // a single leaf: no split to make
        var o = TreeOptions() with { Tree = new TreeOptions { Mode = TreeMode.Never, MaxLeafSize = 50 } };
        Assert.False(new RfmRegressor(o).Fit(x, y, cancellationToken: Ct).IsTree);
        Assert.True(new RfmRegressor(o with { Tree = o.Tree with { Mode = TreeMode.Auto } }).Fit(x, y, cancellationToken: Ct).IsTree);
    }

    [Theory]
    [InlineData(FitPrecision.Float32, TreeRouting.Hard)]
    [InlineData(FitPrecision.Float64, TreeRouting.Soft)]
    public void A_tree_classifier_survives_save_and_load_bit_for_bit(FitPrecision precision, TreeRouting routing)
    {
        var (x, ints) = Blobs([0, 1, 2], Rows / 3, D, 0.8, 14);
        var labels = Array.ConvertAll(ints, k => "class" + k);
        var o = TreeOptions(routing, precision);
        if (routing == TreeRouting.Soft)
            o = o with { Tree = o.Tree with { Temperature = 0.3 } };
        var model = new RfmClassifier(o with { Preprocessing = Preprocessing.Standardize }).Fit(x, labels, cancellationToken: Ct);
        Assert.True(model.IsTree);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var back = Assert.IsType<RfmClassifierModel>(RfmModel.Load(stream));
        Assert.True(back.IsTree);
        Assert.Equal(model.Tree!.Temperature, back.Tree!.Temperature);
        Assert.Equal(model.Tree.Leaves.Select(l => l.Centers), back.Tree.Leaves.Select(l => l.Centers));
        Assert.Equal(model.Tree.Leaves.Select(l => l.BestIteration), back.Tree.Leaves.Select(l => l.BestIteration));
        Assert.Equal(model.PredictProba(ToDouble(x)).Cast<double>(), back.PredictProba(ToDouble(x)).Cast<double>());
        Assert.Equal(model.PredictLabels(x), back.PredictLabels(x));
        Assert.True(model.Score(x, labels) > 0.9);
        Assert.Equal(model.FeatureMatrixDouble().Cast<double>(), back.FeatureMatrixDouble().Cast<double>());
    }

    [Fact]
    public void Forged_tree_structures_are_refused()
    {
        var (x, y) = Data(Rows, 15);
        var model = new RfmRegressor(TreeOptions()).Fit(x, y, cancellationToken: Ct);
        using var stream = new MemoryStream();
        model.Save(stream);
        byte[] file = stream.ToArray();
        // The first split starts with its direction: find it, then its children after threshold and spread.
        var first = new byte[8 * D];
        for (int j = 0; j < D; j++)
            BinaryPrimitives.WriteDoubleLittleEndian(first.AsSpan(8 * j), model.Tree!.Splits[0].Direction[j]);
        int at = file.AsSpan().IndexOf(first);
        Assert.True(at > 0);
        int children = at + 8 * D + 16, count = at - 4;
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(count)));
        int right = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(children + 4));

        Refused(file, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(children), 0));              // the root as its own child
        Refused(file, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(children), right));          // a child reached twice
        Refused(file, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(children), ~7));             // a leaf out of range
        Refused(file, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(count), int.MaxValue));      // a split count from nowhere
        Refused(file, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(count), 0));
        Refused(file, b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(at), double.NaN));           // a non-finite direction
        Refused(file, b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(at + 8 * D + 8), -1));       // a negative spread
    }

    static void Refused(byte[] file, Action<byte[]> forge)
    {
        var b = (byte[])file.Clone();
        forge(b);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(b.Length - 4), Crc32C.Append(0, b.AsSpan(0, b.Length - 4)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<RfmModelFormatException>(() => RfmModel.Load(new MemoryStream(b)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 * b.Length + (1 << 20), "the loader allocated from a forged count");
    }

    [Fact]
    public void Cancellation_inside_the_second_leaf_stops_the_fit()
    {
        var (x, y) = Data(Rows, 16);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Node == 1 && p.Phase == RfmPhase.Solve)
                cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new RfmRegressor(TreeOptions()).Fit(x, y, progress: progress, cancellationToken: cts.Token));
    }

    [Fact]
    public void Bad_tree_options_are_refused_before_any_work()
    {
        var (x, y) = Data(100, 17);
        foreach (var (bad, name) in new (TreeOptions, string)[]
        {
            (new() { MaxLeafSize = 1 }, "MaxLeafSize"),
            (new() { SplitSampleSize = 9 }, "SplitSampleSize"),
            (new() { SplitIterations = -1 }, "SplitIterations"),
            (new() { Temperature = -1 }, "Temperature"),
            (new() { Temperature = double.PositiveInfinity }, "Temperature"),
            (new() { Mode = (TreeMode)7 }, "Mode"),
            (new() { SplitRule = (SplitRule)7 }, "SplitRule"),
            (new() { Routing = (TreeRouting)7 }, "Routing"),
        })
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new RfmRegressor(new RfmOptions { Tree = bad }).Fit(x, y, cancellationToken: Ct)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new RfmRegressor(new RfmOptions { Tree = null! }).Fit(x, y, cancellationToken: Ct));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to a thread-pool context).</summary>
    sealed class SyncProgress(Action<RfmProgress> report) : IProgress<RfmProgress>
    {
        public SyncProgress(List<RfmProgress> list) : this(list.Add)
        {
        }

        public void Report(RfmProgress value) => report(value);
    }
}
