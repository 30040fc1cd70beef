using System;
using System.Collections.Generic;
using System.IO;
using CommunityToolkit.HighPerformance;
using RfmFast.Core;

namespace RfmFast;

/// <summary>
/// A fitted Recursive Feature Machine: f(x) = sum_i alpha_i k(|x - x_i|_M) over the training points x_i.
/// Immutable and safe for concurrent predictions. It computes in the precision it was fitted in
/// (<see cref="Precision"/>); inputs of either precision are accepted and converted.
/// </summary>
public class RfmModel
{
    readonly ModelCore<float>? _single;
    readonly ModelCore<double>? _double;

    internal RfmModel(FitState<float> state) => _single = new ModelCore<float>(state);

    internal RfmModel(FitState<double> state) => _double = new ModelCore<double>(state);

    /// <summary>The precision the model was fitted in and predicts in.</summary>
    public FitPrecision Precision => _double is null ? FitPrecision.Float32 : FitPrecision.Float64;

    /// <summary>The kernel, with the bandwidth actually used (after the adaptive rule, if any).</summary>
    public KernelFunction Kernel => _single?.State.Kernel ?? _double!.State.Kernel;

    /// <summary>The number of input features d.</summary>
    public int Features => _single?.State.Centers.Cols ?? _double!.State.Centers.Cols;

    /// <summary>The number of outputs c.</summary>
    public int Outputs => _single?.State.Outputs ?? _double!.State.Outputs;

    /// <summary>The number of centers (training points) n.</summary>
    public int Centers => _single?.State.Centers.Rows ?? _double!.State.Centers.Rows;

    /// <summary>The iteration whose feature matrix the model uses (0: the plain kernel).</summary>
    public int BestIteration => _single?.State.BestIteration ?? _double!.State.BestIteration;

    /// <summary>What every iteration of the fit did: validation score, time, solve report.</summary>
    public IReadOnlyList<RfmIteration> History => _single?.State.History ?? _double!.State.History;

    /// <summary>The feature column names saved with the model (empty when none were given).</summary>
    public IReadOnlyList<string> FeatureNames { get; private set; } = [];

    /// <summary>The target column name saved with the model, or null.</summary>
    public string? TargetName { get; private set; }

    /// <summary>Key-value metadata saved with the model (for example the caller's preprocessing); empty when none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();

    /// <summary>Writes the model to <paramref name="stream"/> in the documented format (docs/model-format.md):
    /// options, centers, alpha, M, history, class map, names, checksum.</summary>
    /// <param name="stream">A writable stream; the model is written at its position.</param>
    /// <param name="featureNames">Optional names of the d features (default: the names the model already has).</param>
    /// <param name="targetName">Optional name of the target column (default: the model's own).</param>
    /// <param name="metadata">Optional key-value strings to keep with the model (default: the model's own).</param>
    /// <exception cref="ArgumentException">The number of feature names is not d.</exception>
    public void Save(Stream stream, IReadOnlyList<string>? featureNames = null, string? targetName = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        featureNames ??= FeatureNames;
        if (featureNames.Count != 0 && featureNames.Count != Features)
            throw new ArgumentException($"{featureNames.Count} feature names for {Features} features.", nameof(featureNames));
        Persistence.ModelFile.Write(stream, this, (this as RfmClassifierModel)?.ClassLabels,
            new Persistence.ModelFile.Names(featureNames, targetName ?? TargetName, metadata ?? Metadata));
    }

    /// <inheritdoc cref="Save(Stream, IReadOnlyList{string}, string, IReadOnlyDictionary{string, string})"/>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="featureNames">Optional names of the d features.</param>
    /// <param name="targetName">Optional name of the target column.</param>
    /// <param name="metadata">Optional key-value strings to keep with the model.</param>
    public void Save(string path, IReadOnlyList<string>? featureNames = null, string? targetName = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var f = File.Create(path);
        Save(f, featureNames, targetName, metadata);
    }

    /// <summary>Reads a model saved by <see cref="Save(Stream, IReadOnlyList{string}, string, IReadOnlyDictionary{string, string})"/>; a classifier comes
    /// back as an <see cref="RfmClassifierModel"/>. Everything is validated before use.</summary>
    /// <exception cref="RfmModelFormatException">Wrong magic, a newer format version, truncation, a bad checksum, or
    /// sizes and values that do not add up.</exception>
    public static RfmModel Load(Stream stream)
    {
        var (model, names) = Persistence.ModelFile.Read(stream);
        model.FeatureNames = names.Features;
        model.TargetName = names.Target;
        model.Metadata = names.Metadata;
        return model;
    }

    /// <inheritdoc cref="Load(Stream)"/>
    /// <param name="path">The model file.</param>
    public static RfmModel Load(string path)
    {
        using var f = File.OpenRead(path);
        return Load(f);
    }

    internal FitState<float>? SingleState => _single?.State;

    internal FitState<double>? DoubleState => _double?.State;

    /// <summary>The learned feature matrix M (d x d), a copy (rounded to float for a float64 model: see
    /// <see cref="FeatureMatrixDouble"/>).</summary>
    public float[,] FeatureMatrix() => Square<float>();

    /// <summary>The learned feature matrix M (d x d) in double, a copy.</summary>
    public double[,] FeatureMatrixDouble() => Square<double>();

    /// <summary>The diagonal of M: how much the learned metric weighs each feature.</summary>
    public float[] FeatureImportances()
    {
        int d = Features;
        var v = new float[d];
        for (int i = 0; i < d; i++)
            v[i] = _single is not null ? _single.State.Metric[i * d + i] : (float)_double!.State.Metric[i * d + i];
        return v;
    }

    /// <summary>The raw outputs f(x) for a batch (rows of <paramref name="x"/>), n_rows x c; computed in parallel.</summary>
    /// <exception cref="ArgumentException">Wrong feature count, ragged rows, or NaN / infinity in the input.</exception>
    public float[,] PredictRaw(float[,] x) => PredictBatch<float, float>(new RowsInput<float>(x), nameof(x));

    /// <summary>The raw outputs f(x) for a batch of double rows, n_rows x c, in double.</summary>
    /// <inheritdoc cref="PredictRaw(float[,])"/>
    public double[,] PredictRaw(double[,] x) => PredictBatch<double, double>(new RowsInput<double>(x), nameof(x));

    /// <inheritdoc cref="PredictRaw(float[,])"/>
    public float[,] PredictRaw(float[][] x) => PredictBatch<float, float>(new RowsInput<float>(x), nameof(x));

    /// <inheritdoc cref="PredictRaw(double[,])"/>
    public double[,] PredictRaw(double[][] x) => PredictBatch<double, double>(new RowsInput<double>(x), nameof(x));

    /// <summary>The raw outputs f(x) for rows given as a 2-D span (any strides), n_rows x c.</summary>
    /// <inheritdoc cref="PredictRaw(float[,])"/>
    public float[,] PredictRaw(ReadOnlySpan2D<float> x) => PredictBatch<float, float>(new RowsInput<float>(x, true), nameof(x));

    /// <inheritdoc cref="PredictRaw(ReadOnlySpan2D{float})"/>
    public double[,] PredictRaw(ReadOnlySpan2D<double> x) => PredictBatch<double, double>(new RowsInput<double>(x, true), nameof(x));

    /// <summary>Whether a single-sample prediction over many centers (centers x features at least 2^18, e.g. 2622
    /// centers with 100 features) splits its centers with a helper thread. Default true on machines with more
    /// than one processor: it roughly halves the latency, and the helper then keeps watching for the next call
    /// for 2 ms, which keeps one core busy. Set false to run every single-sample prediction on the calling thread
    /// only. The predictions are identical either way.</summary>
    public bool ShareSingleSamplePredict { get; set; } = true;

    /// <summary>The number of metric directions a single-sample prediction uses: the rank of M at working
    /// precision (see MetricFactor in the core).</summary>
    internal int SingleSampleRank => _single?.Rank ?? _double!.Rank;

    /// <summary>The raw outputs for one sample, into <paramref name="output"/> (length c). Allocates nothing
    /// (a float64 model converts the sample in pooled scratch). See <see cref="ShareSingleSamplePredict"/>.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, or a non-finite feature.</exception>
    public void PredictRaw(ReadOnlySpan<float> sample, Span<float> output)
    {
        CheckSample(sample, output.Length);
        if (_single is not null)
        {
            _single.Predict(sample, output, ShareSingleSamplePredict);
            return;
        }
        Converted(_double!, sample, output, ShareSingleSamplePredict);
    }

    /// <summary>The raw outputs for one double sample, into <paramref name="output"/> (length c). Allocates nothing.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, or a non-finite feature.</exception>
    public void PredictRaw(ReadOnlySpan<double> sample, Span<double> output)
    {
        CheckSample(sample, output.Length);
        if (_double is not null)
        {
            _double.Predict(sample, output, ShareSingleSamplePredict);
            return;
        }
        Converted(_single!, sample, output, ShareSingleSamplePredict);
    }

    /// <summary>One sample through a core of the other precision: sample and output converted in pooled scratch.</summary>
    static void Converted<TCore, TIo>(ModelCore<TCore> core, ReadOnlySpan<TIo> sample, Span<TIo> output, bool share)
        where TCore : unmanaged, System.Numerics.IFloatingPointIeee754<TCore>
        where TIo : unmanaged, System.Numerics.IFloatingPointIeee754<TIo>
    {
        int c = core.State.Outputs;
        using var buf = PooledBuffer<TCore>.Rent(sample.Length + c);
        Span<TCore> s = buf.Span[..sample.Length], o = buf.Span.Slice(sample.Length, c);
        for (int i = 0; i < sample.Length; i++)
            s[i] = TCore.CreateTruncating(sample[i]);
        core.Predict(s, o, share);
        for (int q = 0; q < c; q++)
            output[q] = TIo.CreateTruncating(o[q]);
    }

    internal void CheckFeatures(int cols, string paramName)
    {
        if (cols != Features)
            throw new ArgumentException($"The data has {cols} features; the model was fitted on {Features}.", paramName);
    }

    /// <summary>Validated rows in the model's precision.</summary>
    internal TOut[,] PredictBatch<TIn, TOut>(RowsInput<TIn> x, string paramName)
        where TIn : unmanaged, System.Numerics.IFloatingPointIeee754<TIn>
        where TOut : unmanaged, System.Numerics.IFloatingPointIeee754<TOut>
    {
        int c = Outputs;
        TOut[,] r;
        if (_single is not null)
        {
            var q = x.Required<float>(paramName, allowEmpty: true);
            CheckFeatures(q.Cols, paramName);
            r = Shape<float, TOut>(_single.Predict(q), q.Rows, c);
        }
        else
        {
            var q = x.Required<double>(paramName, allowEmpty: true);
            CheckFeatures(q.Cols, paramName);
            r = Shape<double, TOut>(_double!.Predict(q), q.Rows, c);
        }
        return r;
    }

    static TOut[,] Shape<TIn, TOut>(TIn[] flat, int rows, int cols)
        where TIn : unmanaged, System.Numerics.IFloatingPointIeee754<TIn>
        where TOut : unmanaged, System.Numerics.IFloatingPointIeee754<TOut>
    {
        var r = new TOut[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                r[i, j] = TOut.CreateTruncating(flat[i * cols + j]);
        return r;
    }

    T[,] Square<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int d = Features;
        var m = new T[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                m[i, j] = _single is not null ? T.CreateTruncating(_single.State.Metric[i * d + j]) : T.CreateTruncating(_double!.State.Metric[i * d + j]);
        return m;
    }

    void CheckSample<T>(ReadOnlySpan<T> sample, int outputLength) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int d = Features, c = Outputs;
        if (sample.Length != d)
            throw new ArgumentException($"The sample has {sample.Length} features; the model has {d}.", nameof(sample));
        if (outputLength < c)
            throw new ArgumentException($"The output has room for {outputLength} values; the model has {c} outputs.", "output");
        foreach (T f in sample)
            if (!T.IsFinite(f))
                throw new ArgumentException("The sample must be finite.", nameof(sample));
    }
}
