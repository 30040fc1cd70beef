using System;
using CommunityToolkit.HighPerformance;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>Every accepted input shape gives the same model as the 2-D array: jagged arrays, 2-D spans over
/// sub-views of larger matrices (strided rows), Memory2D, and double inputs; ragged rows and bad values are
/// rejected naming the argument; nothing the caller passed is modified.</summary>
public sealed class InputTypeTests
{
    const int N = 60, D = 4;
    static readonly RfmOptions Options = new() { Iterations = 1, ValidationFraction = 0 };

    static (float[,] X, float[,] Y) Data()
    {
        var x = Gaussian(N, D, 11);
        var y = new float[N, 1];
        for (int i = 0; i < N; i++)
            y[i, 0] = (float)Math.Sin(x[i, 0]) + x[i, 1];
        return (x, y);
    }

    static float[][] Jagged(float[,] a)
    {
        var r = new float[a.GetLength(0)][];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = new float[a.GetLength(1)];
            for (int j = 0; j < r[i].Length; j++)
                r[i][j] = a[i, j];
        }
        return r;
    }

    /// <summary>a embedded at (2, 3) in a larger matrix filled with NaN: a view with a row pitch.</summary>
    static float[,] Embedded(float[,] a)
    {
        var big = new float[a.GetLength(0) + 5, a.GetLength(1) + 7];
        for (int i = 0; i < big.GetLength(0); i++)
            for (int j = 0; j < big.GetLength(1); j++)
                big[i, j] = float.NaN;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                big[i + 2, j + 3] = a[i, j];
        return big;
    }

    [Fact]
    public void Every_input_shape_gives_the_array_model()
    {
        var (x, y) = Data();
        var xt = Gaussian(20, D, 12);
        float[,] expected = new RfmRegressor(Options).Fit(x, y, cancellationToken: Ct).PredictRaw(xt);

        var bx = Embedded(x);
        var by = Embedded(y);
        var spanX = new ReadOnlySpan2D<float>(bx, 2, 3, N, D);
        var spanY = new ReadOnlySpan2D<float>(by, 2, 3, N, 1);
        var models = new[]
        {
            new RfmRegressor(Options).Fit(Jagged(x), Jagged(y), cancellationToken: Ct),
            new RfmRegressor(Options).Fit(spanX, spanY, cancellationToken: Ct),
            new RfmRegressor(Options).Fit(new Memory2D<float>(bx, 2, 3, N, D), new Memory2D<float>(by, 2, 3, N, 1), cancellationToken: Ct),
        };
        var bxt = Embedded(xt);
        foreach (var m in models)
        {
            Assert.Equal(expected, m.PredictRaw(xt));
            Assert.Equal(expected, m.PredictRaw(Jagged(xt)));
            Assert.Equal(expected, m.PredictRaw(new ReadOnlySpan2D<float>(bxt, 2, 3, 20, D)));
        }
        // The caller's matrices are untouched (the NaN frame included).
        Assert.Equal(Embedded(x), bx);
    }

    [Fact]
    public void A_classifier_takes_spans_and_jagged_rows()
    {
        var (x, _) = Data();
        var labels = new int[N];
        for (int i = 0; i < N; i++)
            labels[i] = x[i, 0] > 0 ? 1 : 0;
        var a = new RfmClassifier(Options).Fit(x, labels, cancellationToken: Ct);
        var b = new RfmClassifier(Options).Fit(new ReadOnlySpan2D<float>(x), labels, cancellationToken: Ct);
        var c = new RfmClassifier(Options).Fit(Jagged(x), labels, cancellationToken: Ct);
        Assert.Equal(a.Predict(x), b.Predict(new ReadOnlySpan2D<float>(x)));
        Assert.Equal(a.Predict(x), c.Predict(Jagged(x)));
        Assert.Equal(a.PredictProba(x), c.PredictProba(Jagged(x)));
    }

    [Fact]
    public void Ragged_null_and_non_finite_rows_are_rejected_by_name()
    {
        var (x, y) = Data();
        var jx = Jagged(x);
        jx[7] = new float[D + 1];
        var r = new RfmRegressor(Options);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => r.Fit(jx, Jagged(y), cancellationToken: Ct)).ParamName);
        jx[7] = null!;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => r.Fit(jx, Jagged(y), cancellationToken: Ct)).ParamName);
        var bad = (float[,])x.Clone();
        bad[3, 2] = float.PositiveInfinity;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => r.Fit(new ReadOnlySpan2D<float>(bad), new ReadOnlySpan2D<float>(y), cancellationToken: Ct)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => r.Fit(ReadOnlySpan2D<float>.Empty, new ReadOnlySpan2D<float>(y), cancellationToken: Ct)).ParamName);
        var model = r.Fit(x, y, cancellationToken: Ct);
        var rows = Jagged(Gaussian(3, D, 1));
        rows[1] = new float[D - 1];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => model.PredictRaw(rows)).ParamName);
    }
}
