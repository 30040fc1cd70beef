using System;
using System.Linq;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>The everyday pieces around a fit: metrics, seeded splits, vector targets, a given M, the learned
/// features, and a fit that breaks down part way.</summary>
public sealed class WorkflowTests
{
    [Fact]
    public void Metrics_match_their_definitions()
    {
        double[] t = [1, 2, 3, 4], p = [1.5, 2, 2, 5];
        Assert.Equal((0.25 + 0 + 1 + 1) / 4, Metrics.MeanSquaredError(t, p), 15);
        Assert.Equal(Math.Sqrt(2.25 / 4), Metrics.RootMeanSquaredError(t, p), 15);
        Assert.Equal(1 - 2.25 / 5, Metrics.R2(t, p), 15);
        Assert.True(double.IsNaN(Metrics.R2(new double[] { 2, 2 }, [1, 3])));
        Assert.Equal(0.5, Metrics.Accuracy<string>(["a", "b", "a", "c"], ["a", "a", "a", "b"]));
        var proba = new float[,] { { 0.9f, 0.1f }, { 0.2f, 0.8f }, { 0.5f, 0.5f } };
        Assert.Equal(-(Math.Log(0.9f) + Math.Log(0.8f) + Math.Log(0.5f)) / 3, Metrics.LogLoss([0, 1, 0], proba), 12);
        Assert.Equal(-Math.Log(1e-15), Metrics.LogLoss([1], new double[,] { { 1, 0 } }), 9);
        Assert.Throws<ArgumentException>(() => Metrics.R2(t, [1.0, 2]));
        Assert.Throws<ArgumentException>(() => Metrics.MeanSquaredError(t, [1, 2, double.NaN, 4]));
        Assert.Throws<ArgumentException>(() => Metrics.LogLoss([2], proba));
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(Array.Empty<int>(), []));
    }

    [Fact]
    public void Random_splits_are_seeded_disjoint_and_complete()
    {
        var (kept, held) = DataSplit.Random(101, 0.2, 5);
        Assert.Equal(20, held.Length);
        Assert.Equal(Enumerable.Range(0, 101), kept.Concat(held).Order());
        Assert.Equal(held, DataSplit.Random(101, 0.2, 5).HeldOut);
        Assert.NotEqual(held, DataSplit.Random(101, 0.2, 6).HeldOut);
        Assert.True(held.SequenceEqual(held.Order()));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Random(1, 0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Random(10, 1, 0));
    }

    [Fact]
    public void Stratified_splits_keep_every_class_in_proportion()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i < 70 ? "a" : i < 95 ? "b" : i < 99 ? "c" : "d").ToArray();
        var (kept, held) = DataSplit.Stratified(labels, 0.2, 3);
        Assert.Equal(Enumerable.Range(0, 100), kept.Concat(held).Order());
        int Count(int[] rows, string c) => rows.Count(i => labels[i] == c);
        Assert.Equal(14, Count(held, "a"));
        Assert.Equal(5, Count(held, "b"));
        Assert.Equal(1, Count(held, "c"));
        Assert.Equal(0, Count(held, "d")); // a class of one row stays for training
        Assert.Equal(held, DataSplit.Stratified(labels, 0.2, 3).HeldOut);
        var x = new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        Assert.Equal(new double[,] { { 5, 6 }, { 1, 2 } }, DataSplit.Rows(x, [2, 0]));
    }

    [Fact]
    public void A_vector_target_fits_and_predicts_like_a_one_column_matrix()
    {
        var x = Gaussian(60, 4, 11);
        var y = TwoCoordinateTarget(x, 1);
        var column = new float[60];
        for (int i = 0; i < 60; i++)
            column[i] = y[i, 0];
        var options = new RfmOptions { Iterations = 2 };
        var a = new RfmRegressor(options).Fit(x, y, cancellationToken: Ct);
        var b = new RfmRegressor(options).Fit(x, column, cancellationToken: Ct);
        var raw = a.PredictRaw(x);
        var vec = b.Predict(x);
        for (int i = 0; i < 60; i++)
            Assert.Equal(raw[i, 0], vec[i]);
        Assert.Equal(Metrics.R2(column, vec), b.Score(x, column), 12);
        Assert.True(b.Score(x, column) > 0.5);
    }

    [Fact]
    public void A_given_metric_is_used_as_is_without_iterations()
    {
        var x = Gaussian(50, 3, 12);
        var y = TwoCoordinateTarget(x, 1);
        var learned = new RfmRegressor(new RfmOptions { Iterations = 2, ValidationFraction = 0 }).Fit(x, y, cancellationToken: Ct);
        var m = learned.FeatureMatrixDouble();
        var given = new RfmRegressor(new RfmOptions { Metric = m, Iterations = 7, ValidationFraction = 0 }).Fit(x, y, cancellationToken: Ct);
        Assert.Single(given.History);
        Assert.Equal(learned.FeatureMatrix(), given.FeatureMatrix());
        var p = learned.PredictRaw(x);
        var q = given.PredictRaw(x);
        for (int i = 0; i < 50; i++)
            Assert.Equal(p[i, 0], q[i, 0], 1e-4);
        var bad = (double[,])m.Clone();
        bad[0, 1] += 1;
        Assert.Throws<ArgumentException>(() => new RfmRegressor(new RfmOptions { Metric = bad }).Fit(x, y, cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => new RfmRegressor(new RfmOptions { Metric = new double[2, 2] }).Fit(x, y, cancellationToken: Ct));
    }

    [Fact]
    public void The_top_features_are_the_eigen_directions_of_M_largest_first()
    {
        var x = Gaussian(80, 5, 13);
        var y = TwoCoordinateTarget(x, 1);
        var model = new RfmRegressor(new RfmOptions { Iterations = 3, ValidationFraction = 0 }).Fit(x, y, cancellationToken: Ct);
        var m = model.FeatureMatrixDouble();
        var top = model.TopFeatures(2);
        Assert.Equal(2, top.Eigenvalues.Length);
        Assert.True(top.Eigenvalues[0] >= top.Eigenvalues[1]);
        for (int k = 0; k < 2; k++)
        {
            // M v = lambda v, |v| = 1.
            double norm = 0;
            for (int i = 0; i < 5; i++)
            {
                double mv = 0;
                for (int j = 0; j < 5; j++)
                    mv += m[i, j] * top.Directions[k, j];
                Assert.Equal(top.Eigenvalues[k] * top.Directions[k, i], mv, 1e-5 * (1 + top.Eigenvalues[0]));
                norm += top.Directions[k, i] * top.Directions[k, i];
            }
            Assert.Equal(1, norm, 1e-9);
        }
        // The target depends on coordinates 0 and 1: the leading direction lives there.
        Assert.True(Math.Abs(top.Directions[0, 0]) + Math.Abs(top.Directions[0, 1]) > 0.9);
        Assert.Equal(5, model.TopFeatures().Eigenvalues.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.TopFeatures(6));
    }

    [Fact]
    public void An_iteration_that_breaks_down_ends_the_fit_with_the_best_earlier_one_kept()
    {
        // A Gaussian bandwidth of 1e-150 gives K = I at iteration 0 (a fine fit), then an AGOP whose 1 / L^2 factor
        // overflows: iteration 1 cannot be fitted.
        var rng = new Random(1);
        var x = new double[40, 3];
        var y = new double[40];
        for (int i = 0; i < 40; i++)
        {
            for (int j = 0; j < 3; j++)
                x[i, j] = rng.NextDouble() * 2 - 1;
            y[i] = Math.Sin(3 * x[i, 0]);
        }
        var options = new RfmOptions { Kernel = RfmKernel.Gaussian, Bandwidth = 1e-150, Precision = FitPrecision.Float64, Iterations = 3, ValidationFraction = 0 };
        var model = new RfmRegressor(options).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(0, model.BestIteration);
        Assert.Equal(2, model.History.Count);
        Assert.Null(model.History[0].Failure);
        Assert.Contains("AGOP is not finite", model.History[1].Failure, StringComparison.Ordinal);
        Assert.True(double.IsNaN(model.History[1].ValidationScore));
        Assert.All(model.Predict(x), v => Assert.True(double.IsFinite(v)));
        // With validation data the same: iteration 0 is scored and kept.
        var validated = new RfmRegressor(options).Fit(x, y, x, y, cancellationToken: Ct);
        Assert.Equal(0, validated.BestIteration);
        Assert.NotNull(validated.History[^1].Failure);
    }

    [Fact]
    public void The_fits_parallelism_is_the_models_default_and_can_be_changed()
    {
        var x = Gaussian(30, 3, 14);
        var y = TwoCoordinateTarget(x, 1);
        var model = new RfmRegressor(new RfmOptions { Iterations = 1, MaxDegreeOfParallelism = 1 }).Fit(x, y, cancellationToken: Ct);
        Assert.Equal(1, model.MaxDegreeOfParallelism);
        var one = model.PredictRaw(x);
        model.MaxDegreeOfParallelism = 0;
        var all = model.PredictRaw(x);
        for (int i = 0; i < 30; i++)
            Assert.Equal(one[i, 0], all[i, 0], 1e-5);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.MaxDegreeOfParallelism = -1);
    }

    [Fact]
    public void A_plain_kernel_that_cannot_be_fitted_is_an_invalid_operation_naming_iteration_0()
    {
        // Rows of 1e20 overflow float's squared norms: the float kernel matrix is not a number.
        var x = Gaussian(20, 3, 15);
        for (int i = 0; i < 20; i++)
            for (int j = 0; j < 3; j++)
                x[i, j] *= 1e20f;
        var y = new float[20];
        var e = Assert.Throws<InvalidOperationException>(() =>
            new RfmRegressor(new RfmOptions { Iterations = 1, ValidationFraction = 0 }).Fit(x, y, cancellationToken: Ct));
        Assert.Contains("iteration 0", e.Message, StringComparison.Ordinal);
    }
}
