using CommunityToolkit.HighPerformance;

namespace RfmFast;

/// <summary>A fitted RFM regressor: one output per target column, in the target's units.</summary>
public sealed class RfmRegressionModel : RfmModel
{
    internal RfmRegressionModel(TreeState<float> state, FittedPreprocessing prep) : base(state, prep)
    {
    }

    internal RfmRegressionModel(TreeState<double> state, FittedPreprocessing prep) : base(state, prep)
    {
    }

    /// <summary>The target means subtracted before the fit, one per output (empty without target standardisation).</summary>
    public System.Collections.Generic.IReadOnlyList<double> TargetMeans => Prep.TargetMeanView;

    /// <summary>The target scales divided by before the fit, one per output (empty without target standardisation).</summary>
    public System.Collections.Generic.IReadOnlyList<double> TargetScales => Prep.TargetScaleView;

    /// <summary>The prediction of the first (for a single-target fit, the only) output for each row.</summary>
    /// <exception cref="System.ArgumentException">Wrong feature count, ragged rows, or NaN / infinity in the input.</exception>
    public float[] Predict(float[,] x) => FirstColumn(PredictRaw(x));

    /// <inheritdoc cref="Predict(float[,])"/>
    public double[] Predict(double[,] x) => FirstColumn(PredictRaw(x));

    /// <inheritdoc cref="Predict(float[,])"/>
    public float[] Predict(float[][] x) => FirstColumn(PredictRaw(x));

    /// <inheritdoc cref="Predict(float[,])"/>
    public double[] Predict(double[][] x) => FirstColumn(PredictRaw(x));

    /// <inheritdoc cref="Predict(float[,])"/>
    public float[] Predict(ReadOnlySpan2D<float> x) => FirstColumn(PredictRaw(x));

    /// <inheritdoc cref="Predict(float[,])"/>
    public double[] Predict(ReadOnlySpan2D<double> x) => FirstColumn(PredictRaw(x));

    /// <inheritdoc cref="Predict(float[,])"/>
    public float[] Predict(ReadOnlyMemory2D<float> x) => FirstColumn(PredictRaw(x.Span));

    /// <inheritdoc cref="Predict(float[,])"/>
    public double[] Predict(ReadOnlyMemory2D<double> x) => FirstColumn(PredictRaw(x.Span));

    /// <summary>R^2 of the first output's predictions against <paramref name="y"/> (scikit-learn's
    /// <c>score</c>: 1 - SSE / SST, SST about the mean of y).</summary>
    /// <exception cref="System.ArgumentException">Shapes that do not agree, or non-finite values.</exception>
    public double Score(float[,] x, float[] y) => Metrics.R2(y, Predict(x));

    /// <inheritdoc cref="Score(float[,], float[])"/>
    public double Score(double[,] x, double[] y) => Metrics.R2(y, Predict(x));

    static T[] FirstColumn<T>(T[,] raw)
    {
        var r = new T[raw.GetLength(0)];
        for (int i = 0; i < r.Length; i++)
            r[i] = raw[i, 0];
        return r;
    }
}
