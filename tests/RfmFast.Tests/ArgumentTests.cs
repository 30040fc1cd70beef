using System;
using System.Linq;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>Bad input: every case throws a typed exception naming the argument (or the option), and the
/// caller's arrays are never modified.</summary>
public sealed class ArgumentTests
{
    const int N = 30, D = 4;

    static readonly RfmOptions Quick = new() { Iterations = 1 };

    static float[,] X(int rows = N, int cols = D, int seed = 1) => TestSupport.Gaussian(rows, cols, seed);

    static float[,] Y(int rows = N, int cols = 1, int seed = 2) => TestSupport.Gaussian(rows, cols, seed);

    static int[] Labels(int rows = N) => Enumerable.Range(0, rows).Select(i => i % 2).ToArray();

    static float[,] With(float[,] a, int i, int j, float v)
    {
        var b = TestSupport.Clone2(a);
        b[i, j] = v;
        return b;
    }

    static void ThrowsArg(string param, Action a) => Assert.Equal(param, Assert.Throws<ArgumentException>(a).ParamName);

    static void ThrowsRange(string param, Action a) => Assert.Equal(param, Assert.Throws<ArgumentOutOfRangeException>(a).ParamName);

    public static TheoryData<float> NonFinite => new() { float.NaN, float.PositiveInfinity, float.NegativeInfinity };

    [Theory]
    [MemberData(nameof(NonFinite))]
    public void Regressor_rejects_non_finite_values_in_every_input(float bad)
    {
        var r = new RfmRegressor(Quick);
        ThrowsArg("x", () => r.Fit(With(X(), 3, 2, bad), Y(), cancellationToken: Ct));
        ThrowsArg("y", () => r.Fit(X(), With(Y(), N - 1, 0, bad), cancellationToken: Ct));
        ThrowsArg("xValidation", () => r.Fit(X(), Y(), With(X(10), 0, 0, bad), Y(10), cancellationToken: Ct));
        ThrowsArg("yValidation", () => r.Fit(X(), Y(), X(10), With(Y(10), 9, 0, bad), cancellationToken: Ct));
    }

    [Theory]
    [MemberData(nameof(NonFinite))]
    public void Classifier_rejects_non_finite_values_in_every_input(float bad)
    {
        var c = new RfmClassifier(Quick);
        ThrowsArg("x", () => c.Fit(With(X(), 0, D - 1, bad), Labels(), cancellationToken: Ct));
        ThrowsArg("xValidation", () => c.Fit(X(), Labels(), With(X(10), 5, 1, bad), Labels(10), cancellationToken: Ct));
    }

    [Fact]
    public void Empty_data_is_rejected()
    {
        var r = new RfmRegressor(Quick);
        ThrowsArg("x", () => r.Fit(new float[0, D], new float[0, 1], cancellationToken: Ct));
        ThrowsArg("x", () => r.Fit(new float[N, 0], Y(), cancellationToken: Ct));
        ThrowsArg("y", () => r.Fit(X(), new float[N, 0], cancellationToken: Ct));
        ThrowsArg("xValidation", () => r.Fit(X(), Y(), new float[0, D], new float[0, 1], cancellationToken: Ct));
        var c = new RfmClassifier(Quick);
        ThrowsArg("x", () => c.Fit(new float[0, D], Array.Empty<int>(), cancellationToken: Ct));
        ThrowsArg("xValidation", () => c.Fit(X(), Labels(), new float[0, D], Array.Empty<int>(), cancellationToken: Ct));
    }

    [Fact]
    public void Null_inputs_are_rejected()
    {
        var r = new RfmRegressor(Quick);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => r.Fit(null!, Y(), cancellationToken: Ct)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => r.Fit(X(), (float[,])null!, cancellationToken: Ct)).ParamName);
        var c = new RfmClassifier(Quick);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => c.Fit((float[,])null!, Labels(), cancellationToken: Ct)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => c.Fit(X(), (int[])null!, cancellationToken: Ct)).ParamName);
    }

    [Fact]
    public void Regressor_shape_mismatches_name_the_argument()
    {
        var r = new RfmRegressor(Quick);
        ThrowsArg("y", () => r.Fit(X(), Y(N - 1), cancellationToken: Ct));                                  // y rows
        ThrowsArg("xValidation", () => r.Fit(X(), Y(), X(10, D + 1), Y(10), cancellationToken: Ct));        // validation columns
        ThrowsArg("yValidation", () => r.Fit(X(), Y(N, 2), X(10), Y(10, 1), cancellationToken: Ct));        // validation target columns
        ThrowsArg("yValidation", () => r.Fit(X(), Y(), X(10), Y(11), cancellationToken: Ct));               // validation rows
        ThrowsArg("yValidation", () => r.Fit(X(), Y(), X(10), null, cancellationToken: Ct));                // features without targets
        ThrowsArg("xValidation", () => r.Fit(X(), Y(), null, Y(10), cancellationToken: Ct));                // targets without features
    }

    [Fact]
    public void Classifier_label_problems_name_the_argument()
    {
        var c = new RfmClassifier(Quick);
        ThrowsArg("labels", () => c.Fit(X(), Labels(N - 1), cancellationToken: Ct));                                    // label count
        ThrowsArg("labels", () => c.Fit(X(), Enumerable.Repeat(7, N).ToArray(), cancellationToken: Ct));                 // a single class
        ThrowsArg("xValidation", () => c.Fit(X(), Labels(), X(10, D - 1), Labels(10), cancellationToken: Ct));          // validation columns
        ThrowsArg("labelsValidation", () => c.Fit(X(), Labels(), X(10), Labels(9), cancellationToken: Ct));             // validation rows
        ThrowsArg("labelsValidation", () => c.Fit(X(), Labels(), X(10), [0, 1, 0, 1, 2, 0, 1, 0, 1, 0], cancellationToken: Ct)); // unknown label
        ThrowsArg("labelsValidation", () => c.Fit(X(), Labels(), X(10), null, cancellationToken: Ct));
        ThrowsArg("xValidation", () => c.Fit(X(), Labels(), null, Labels(10), cancellationToken: Ct));
    }

    public static TheoryData<string, RfmOptions> BadOptions => new()
    {
        { "Bandwidth", new RfmOptions { Bandwidth = 0 } },
        { "Bandwidth", new RfmOptions { Bandwidth = -1 } },
        { "Bandwidth", new RfmOptions { Bandwidth = double.NaN } },
        { "Bandwidth", new RfmOptions { Bandwidth = double.PositiveInfinity } },
        { "Reg", new RfmOptions { Reg = -1e-3 } },
        { "Reg", new RfmOptions { Reg = double.NaN } },
        { "Exponent", new RfmOptions { Kernel = RfmKernel.GeneralizedLaplace, Exponent = 0 } },
        { "Exponent", new RfmOptions { Kernel = RfmKernel.GeneralizedLaplace, Exponent = -0.5 } },
        { "Exponent", new RfmOptions { Kernel = RfmKernel.GeneralizedLaplace, Exponent = 2.0001 } },
        { "Exponent", new RfmOptions { Kernel = RfmKernel.GeneralizedLaplace, Exponent = double.NaN } },
        { "Iterations", new RfmOptions { Iterations = -1 } },
        { "ValidationFraction", new RfmOptions { ValidationFraction = -0.1 } },
        { "ValidationFraction", new RfmOptions { ValidationFraction = 1 } },
        { "ValidationFraction", new RfmOptions { ValidationFraction = double.NaN } },
        { "EarlyStopMultiplier", new RfmOptions { EarlyStopMultiplier = 0.999 } },
        { "EarlyStopMultiplier", new RfmOptions { EarlyStopMultiplier = 0 } },
        { "EarlyStopMultiplier", new RfmOptions { EarlyStopMultiplier = double.NaN } },
        { "AgopSampleSize", new RfmOptions { AgopSampleSize = -1 } },
        { "MaxDegreeOfParallelism", new RfmOptions { MaxDegreeOfParallelism = -1 } },
        { "Kernel", new RfmOptions { Kernel = (RfmKernel)99 } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Out_of_range_options_name_the_option(string option, RfmOptions options)
    {
        ThrowsRange(option, options.Validate);
        ThrowsRange(option, () => new RfmRegressor(options).Fit(X(), Y(), cancellationToken: Ct));
        ThrowsRange(option, () => new RfmClassifier(options).Fit(X(), Labels(), cancellationToken: Ct));
    }

    [Fact]
    public void Boundary_options_are_accepted()
    {
        new RfmOptions { Reg = 0, Iterations = 0, ValidationFraction = 0, EarlyStopMultiplier = 1 }.Validate();
        new RfmOptions { Kernel = RfmKernel.GeneralizedLaplace, Exponent = 2 }.Validate();
        new RfmOptions { Kernel = RfmKernel.GeneralizedLaplace, Exponent = 1e-3 }.Validate();
        var model = new RfmRegressor(new RfmOptions { Iterations = 0, ValidationFraction = 0 }).Fit(X(), Y(), cancellationToken: Ct);
        Assert.Equal(0, model.BestIteration);
    }

    [Fact]
    public void Single_sample_predict_checks_lengths_and_values()
    {
        var model = new RfmRegressor(Quick).Fit(X(), Y(N, 2), cancellationToken: Ct);
        var output = new float[2];
        ThrowsArg("sample", () => model.PredictRaw(new float[D - 1], output));
        ThrowsArg("sample", () => model.PredictRaw(new float[D + 1], output));
        ThrowsArg("sample", () => model.PredictRaw(ReadOnlySpan<float>.Empty, output));
        ThrowsArg("output", () => model.PredictRaw(new float[D], new float[1]));
        ThrowsArg("output", () => model.PredictRaw(new float[D], Span<float>.Empty));
        ThrowsArg("sample", () => model.PredictRaw(new float[] { 0, float.NaN, 0, 0 }, output));
        ThrowsArg("sample", () => model.PredictRaw(new float[] { 0, 0, 0, float.NegativeInfinity }, output));
        model.PredictRaw(new float[D], new float[3]); // a longer output is fine
    }

    [Fact]
    public void Batch_predict_checks_the_feature_count_and_values()
    {
        var model = new RfmRegressor(Quick).Fit(X(), Y(), cancellationToken: Ct);
        ThrowsArg("x", () => model.PredictRaw(X(5, D + 1)));
        ThrowsArg("x", () => model.PredictRaw(X(5, D - 1)));
        ThrowsArg("x", () => model.PredictRaw(With(X(5), 4, 3, float.NaN)));
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => model.PredictRaw((float[,])null!)).ParamName);
        Assert.Equal(0, model.PredictRaw(new float[0, D]).GetLength(0));

        var cm = new RfmClassifier(Quick).Fit(X(), Labels(), cancellationToken: Ct);
        ThrowsArg("x", () => cm.Predict(X(5, D + 2)));
        ThrowsArg("x", () => cm.PredictProba(X(5, 1)));
        ThrowsArg("x", () => cm.PredictRaw(X(5, D + 1)));
        ThrowsArg("x", () => cm.Predict(With(X(5), 0, 0, float.PositiveInfinity)));
    }

    [Fact]
    public void Fit_and_predict_leave_the_callers_arrays_alone()
    {
        float[,] x = X(), y = Y(N, 2), xv = X(12, D, 5), yv = Y(12, 2, 6);
        float[,] x0 = TestSupport.Clone2(x), y0 = TestSupport.Clone2(y), xv0 = TestSupport.Clone2(xv), yv0 = TestSupport.Clone2(yv);
        var model = new RfmRegressor(Quick).Fit(x, y, xv, yv, cancellationToken: Ct);
        var held = new RfmRegressor(Quick with { ValidationFraction = 0.3 }).Fit(x, y, cancellationToken: Ct);
        Assert.True(TestSupport.SameBits(x, x0) && TestSupport.SameBits(y, y0) && TestSupport.SameBits(xv, xv0) && TestSupport.SameBits(yv, yv0));

        model.PredictRaw(xv);
        held.PredictRaw(xv);
        float[] sample = TestSupport.Row(xv, 3), sample0 = (float[])sample.Clone();
        model.PredictRaw(sample, new float[2]);
        Assert.True(TestSupport.SameBits(xv, xv0));
        Assert.Equal(sample0, sample);

        int[] labels = Labels(), lv = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1];
        int[] labels0 = (int[])labels.Clone(), lv0 = (int[])lv.Clone();
        var cm = new RfmClassifier(Quick).Fit(x, labels, xv, lv, cancellationToken: Ct);
        cm.Predict(xv);
        cm.PredictProba(xv);
        Assert.True(TestSupport.SameBits(x, x0) && TestSupport.SameBits(xv, xv0));
        Assert.Equal(labels0, labels);
        Assert.Equal(lv0, lv);

        // The model does not alias the caller's data either: changing x afterwards changes nothing.
        float[,] before = model.PredictRaw(xv0);
        x[0, 0] += 100;
        y[0, 0] += 100;
        Assert.True(TestSupport.SameBits(before, model.PredictRaw(xv0)));
    }
}
