using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using CommunityToolkit.HighPerformance;
using RfmFast.Core;

namespace RfmFast;

/// <summary>
/// A fitted Recursive Feature Machine: f(x) = sum_i alpha_i k(|p(x) - x_i|_M) over the training points x_i,
/// where p is the fit's <see cref="Preprocessing"/> (repeated on every prediction). Immutable but for the two
/// execution settings; safe for concurrent predictions. It computes in the precision it was fitted in
/// (<see cref="Precision"/>); inputs of either precision are accepted and converted.
/// </summary>
public class RfmModel
{
    readonly ModelBody<float>? _single;
    readonly ModelBody<double>? _double;
    double[]? _meanMetric;
    RfmTree? _tree;

    private protected RfmModel(TreeState<float> state, FittedPreprocessing prep)
    {
        _single = new ModelBody<float>(state.Leaves, state.Splits, state.Temperature);
        Prep = prep;
    }

    private protected RfmModel(TreeState<double> state, FittedPreprocessing prep)
    {
        _double = new ModelBody<double>(state.Leaves, state.Splits, state.Temperature);
        Prep = prep;
    }

    internal FittedPreprocessing Prep { get; }

    /// <summary>The precision the model was fitted in and predicts in.</summary>
    public FitPrecision Precision => _double is null ? FitPrecision.Float32 : FitPrecision.Float64;

    internal KernelFunction KernelFunction => _single?.First.Kernel ?? _double!.First.Kernel;

    /// <summary>The kernel.</summary>
    public RfmKernel Kernel => CoreTypes.Kind(KernelFunction.Kind);

    /// <summary>The bandwidth actually used (after the adaptive rule, if any); for a tree, the first leaf's (with an
    /// adaptive bandwidth each leaf has its own: see <see cref="Tree"/>).</summary>
    public double Bandwidth => KernelFunction.Bandwidth;

    /// <summary>The kernel's exponent q (1 for Laplace, 2 for Gaussian).</summary>
    public double Exponent => KernelFunction.Exponent;

    /// <summary>Whether the model is a tree of RFMs (xRFM) rather than one RFM: see <see cref="Tree"/>.</summary>
    public bool IsTree => _single?.IsTree ?? _double!.IsTree;

    /// <summary>The tree's splits and leaves, or null for a single RFM.</summary>
    public RfmTree? Tree => !IsTree ? null : _tree ??= _single is not null ? TreeInfo(_single) : TreeInfo(_double!);

    /// <summary>What the model does to every row before the kernel sees it (and to regression outputs).</summary>
    public Preprocessing Preprocessing => Prep.Settings;

    /// <summary>The feature means the model subtracts (zeros without standardisation), length d.</summary>
    public IReadOnlyList<double> FeatureMeans => Prep.MeanView;

    /// <summary>The feature scales the model divides by (ones without standardisation), length d.</summary>
    public IReadOnlyList<double> FeatureScales => Prep.ScaleView;

    /// <summary>The number of input features d: the columns a row to predict has.</summary>
    public int Features => Prep.Inputs;

    /// <summary>The number of columns the kernel sees: <see cref="Features"/>, with each categorical column
    /// replaced by one column per category. M and the feature importances live in this space.</summary>
    public int EncodedFeatures => _single?.Encoded ?? _double!.Encoded;

    /// <summary>The names of the <see cref="EncodedFeatures"/> columns, in order: a numeric column's name (its
    /// saved name, else x0, x1, ...), or "name=category" for each category of a categorical column.</summary>
    public IReadOnlyList<string> EncodedFeatureNames => Prep.EncodedNames(FeatureNames);

    /// <summary>The code of a named category of a categorical input column (its position in
    /// <see cref="RfmFast.Preprocessing.CategoryNames"/>), or -1 for a name the fit did not know, which encodes as
    /// an unseen category.</summary>
    /// <param name="column">The input column.</param>
    /// <param name="name">The category's name.</param>
    /// <exception cref="ArgumentException">The column has no category names.</exception>
    public double CategoryCode(int column, string name)
    {
        if (!Prep.Settings.CategoryNames.TryGetValue(column, out var names))
            throw new ArgumentException($"Input column {column} has no category names.", nameof(column));
        for (int k = 0; k < names.Count; k++)
            if (string.Equals(names[k], name, StringComparison.Ordinal))
                return k;
        return -1;
    }

    /// <summary>The number of outputs c.</summary>
    public int Outputs => _single?.Outputs ?? _double!.Outputs;

    /// <summary>The number of centers (training points) n; for a tree, over all its leaves.</summary>
    public int Centers => _single is not null ? CenterCount(_single) : CenterCount(_double!);

    /// <summary>The iteration whose feature matrix the model uses (0: the plain kernel); -1 for a tree, whose leaves
    /// each have their own (<see cref="RfmLeaf.BestIteration"/>).</summary>
    public int BestIteration => IsTree ? -1 : _single?.First.BestIteration ?? _double!.First.BestIteration;

    /// <summary>What every iteration of the fit did: validation score, time, solve report, failure. Empty for a tree,
    /// whose leaves each have their own (<see cref="RfmLeaf.History"/>).</summary>
    public IReadOnlyList<RfmIteration> History => IsTree ? [] : _single?.First.History ?? _double!.First.History;

    static int CenterCount<T>(ModelBody<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = 0;
        foreach (var leaf in b.Leaves)
            n += leaf.State.Centers.Rows;
        return n;
    }

    /// <summary>The feature column names saved with the model (empty when none were given).</summary>
    public IReadOnlyList<string> FeatureNames { get; internal set; } = [];

    /// <summary>The target column name saved with the model, or null.</summary>
    public string? TargetName { get; internal set; }

    /// <summary>Key-value metadata saved with the model; empty when none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; internal set; } = new Dictionary<string, string>();

    /// <summary>Worker threads for batch predictions; 0 (the default, or the fit's
    /// <see cref="RfmOptions.MaxDegreeOfParallelism"/>) means every processor.</summary>
    public int MaxDegreeOfParallelism
    {
        get;
        set => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Use 0 for all processors, or a positive count.");
    }

    /// <summary>Whether a single-sample prediction over many centers (centers x features at least 2^18, e.g. 2622
    /// centers with 100 features) splits its centers with a helper thread. Default true on machines with more
    /// than one processor: it roughly halves the latency, and the helper then keeps watching for the next call
    /// for 2 ms, which keeps one core busy. Set false to run every single-sample prediction on the calling thread
    /// only. The predictions are identical either way.</summary>
    public bool ShareSingleSamplePredict { get; set; } = true;

    /// <summary>Writes the model to <paramref name="stream"/> in the documented format (docs/model-format.md):
    /// options, preprocessing, centers, alpha, M, history, class labels, names, checksum.</summary>
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
        Persistence.ModelFile.Write(stream, this, (this as RfmClassifierModel)?.Labels,
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

    /// <summary>Reads a model saved by <see cref="Save(Stream, IReadOnlyList{string}, string, IReadOnlyDictionary{string, string})"/>;
    /// a classifier comes back as an <see cref="RfmClassifierModel"/>, a regression model as an
    /// <see cref="RfmRegressionModel"/>. Everything is validated before use; files of format version 1 load too.</summary>
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

    internal ModelBody<float>? SingleBody => _single;

    internal ModelBody<double>? DoubleBody => _double;

    /// <summary>The learned feature matrix M (<see cref="EncodedFeatures"/> squared, in the preprocessed feature space), a copy (rounded to float
    /// for a float64 model: see <see cref="FeatureMatrixDouble"/>). For a tree, the mean of its leaves' M weighted by
    /// their rows: the metric the whole model learned, on average over the data.</summary>
    public float[,] FeatureMatrix() => Square<float>();

    /// <summary>The learned feature matrix M (d x d) in double, a copy.</summary>
    public double[,] FeatureMatrixDouble() => Square<double>();

    /// <summary>The diagonal of M: how much the learned metric weighs each of the <see cref="EncodedFeatures"/> columns.</summary>
    public float[] FeatureImportances()
    {
        int d = EncodedFeatures;
        var v = new float[d];
        for (int i = 0; i < d; i++)
            v[i] = (float)Metric(i, i);
        return v;
    }

    /// <summary>The learned features: the top eigen-directions of M with their eigenvalues, largest first. A
    /// row's projection on direction k is a feature the kernel weighs by eigenvalue k.</summary>
    /// <param name="count">How many directions (at most <see cref="EncodedFeatures"/>); 0 or omitted means all.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above d.</exception>
    public LearnedFeatures TopFeatures(int count = 0)
    {
        int d = EncodedFeatures;
        if (count < 0 || count > d)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Ask for 0 (all) to {d} directions.");
        if (count == 0)
            count = d;
        var m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                m[i * d + j] = 0.5 * (Metric(i, j) + Metric(j, i));
        var w = new double[d];
        var v = new double[d * d];
        SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(m, d, d), w, new MatrixView<double>(v, d, d));
        // Ascending from the eigensolver; largest first here.
        var values = new double[count];
        var dirs = new double[count, d];
        for (int k = 0; k < count; k++)
        {
            int src = d - 1 - k;
            values[k] = w[src];
            for (int j = 0; j < d; j++)
                dirs[k, j] = v[j * d + src];
        }
        return new LearnedFeatures(values, dirs);
    }

    double Metric(int i, int j) => (_meanMetric ??= _single is not null ? MeanMetric(_single) : MeanMetric(_double!))[i * EncodedFeatures + j];

    /// <summary>M in double; for a tree, the row-weighted mean of its leaves'.</summary>
    static double[] MeanMetric<T>(ModelBody<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new double[b.Encoded * b.Encoded];
        double total = CenterCount(b);
        foreach (var leaf in b.Leaves)
        {
            double w = b.IsTree ? leaf.State.Centers.Rows / total : 1;
            for (int i = 0; i < m.Length; i++)
                m[i] += w * double.CreateTruncating(leaf.State.Metric[i]);
        }
        return m;
    }

    static RfmTree TreeInfo<T>(ModelBody<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var splits = Array.ConvertAll(b.Splits, s => new RfmTreeSplit(Array.AsReadOnly((double[])s.Direction.Clone()), s.Threshold, s.Spread, s.Left, s.Right));
        var leaves = Array.ConvertAll(b.Leaves, leaf =>
        {
            var s = leaf.State;
            int d = s.Centers.Cols;
            var diag = new double[d];
            for (int i = 0; i < d; i++)
                diag[i] = double.CreateTruncating(s.Metric[i * d + i]);
            return new RfmLeaf(s.Centers.Rows, s.BestIteration, s.History, s.Kernel.Bandwidth, Array.AsReadOnly(diag));
        });
        return new RfmTree(Array.AsReadOnly(splits), Array.AsReadOnly(leaves), b.Temperature);
    }

    /// <summary>The raw outputs f(x) for a batch (rows of <paramref name="x"/>), n_rows x c (regression outputs in
    /// the target's units); computed in parallel.</summary>
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

    /// <summary>The raw outputs f(x) for rows given as 2-D memory, n_rows x c.</summary>
    /// <inheritdoc cref="PredictRaw(float[,])"/>
    public float[,] PredictRaw(ReadOnlyMemory2D<float> x) => PredictRaw(x.Span);

    /// <inheritdoc cref="PredictRaw(ReadOnlyMemory2D{float})"/>
    public double[,] PredictRaw(ReadOnlyMemory2D<double> x) => PredictRaw(x.Span);

    /// <summary>The number of metric directions a single-sample prediction uses: the rank of M at working
    /// precision.</summary>
    internal int SingleSampleRank => _single?.Leaves[0].Rank ?? _double!.Leaves[0].Rank;

    /// <summary>The raw outputs for one sample, into <paramref name="output"/> (length c). Allocates nothing
    /// (preprocessing and a precision change use pooled scratch). See <see cref="ShareSingleSamplePredict"/>.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, or a non-finite feature.</exception>
    public void PredictRaw(ReadOnlySpan<float> sample, Span<float> output)
    {
        CheckSample(sample, output.Length);
        if (_single is not null)
            PredictOne(_single, sample, output);
        else
            PredictOne(_double!, sample, output);
    }

    /// <summary>The raw outputs for one double sample, into <paramref name="output"/> (length c). Allocates nothing.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, or a non-finite feature.</exception>
    public void PredictRaw(ReadOnlySpan<double> sample, Span<double> output)
    {
        CheckSample(sample, output.Length);
        if (_double is not null)
            PredictOne(_double, sample, output);
        else
            PredictOne(_single!, sample, output);
    }

    /// <summary>One sample: straight through when nothing is to be done to it, else preprocessed (and converted)
    /// into pooled scratch, and the outputs mapped back to the target's units.</summary>
    void PredictOne<TCore, TIo>(ModelBody<TCore> core, ReadOnlySpan<TIo> sample, Span<TIo> output)
        where TCore : unmanaged, IFloatingPointIeee754<TCore>
        where TIo : unmanaged, IFloatingPointIeee754<TIo>
    {
        int c = core.Outputs;
        if (typeof(TCore) == typeof(TIo) && Prep.IsIdentity && !Prep.MapsTarget)
        {
            core.Predict(System.Runtime.InteropServices.MemoryMarshal.Cast<TIo, TCore>(sample),
                System.Runtime.InteropServices.MemoryMarshal.Cast<TIo, TCore>(output), ShareSingleSamplePredict);
            return;
        }
        int e = Prep.Encoded;
        using var buf = PooledBuffer<TCore>.Rent(e + c);
        Span<TCore> s = buf.Span[..e], o = buf.Span.Slice(e, c);
        Prep.Row(sample, s);
        core.Predict(s, o, ShareSingleSamplePredict);
        for (int q = 0; q < c; q++)
            output[q] = TIo.CreateTruncating(Prep.Output(double.CreateTruncating(o[q]), q));
    }

    internal void CheckFeatures(int cols, string paramName)
    {
        if (cols != Features)
            throw new ArgumentException($"The data has {cols} features; the model was fitted on {Features}.", paramName);
    }

    /// <summary>Validated, preprocessed rows in the model's precision through the kernel; outputs in the
    /// target's units.</summary>
    internal TOut[,] PredictBatch<TIn, TOut>(RowsInput<TIn> x, string paramName)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        return _single is not null ? Batch<TIn, float, TOut>(_single, x, paramName) : Batch<TIn, double, TOut>(_double!, x, paramName);
    }

    TOut[,] Batch<TIn, T, TOut>(ModelBody<T> core, RowsInput<TIn> x, string paramName)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        DenseData<T> q;
        if (Prep.IsIdentity)
        {
            q = x.Required<T>(paramName, allowEmpty: true);
            CheckFeatures(q.Cols, paramName);
        }
        else
        {
            var raw = x.Required<double>(paramName, allowEmpty: true);
            CheckFeatures(raw.Cols, paramName);
            q = Prep.Rows<double, T>(raw);
        }
        var flat = core.Batch(q, RfmTrainer.Workers(MaxDegreeOfParallelism));
        int rows = q.Rows, c = core.Outputs;
        var r = new TOut[rows, c];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < c; j++)
                r[i, j] = TOut.CreateTruncating(Prep.Output(double.CreateTruncating(flat[i * c + j]), j));
        return r;
    }

    T[,] Square<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = EncodedFeatures;
        var m = new T[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                m[i, j] = T.CreateTruncating(Metric(i, j));
        return m;
    }

    void CheckSample<T>(ReadOnlySpan<T> sample, int outputLength) where T : unmanaged, IFloatingPointIeee754<T>
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

/// <summary>The top eigen-directions of a model's M, largest eigenvalue first.</summary>
/// <param name="Eigenvalues">The eigenvalues, descending.</param>
/// <param name="Directions">One unit direction per row (count x d), in the preprocessed feature space.</param>
public sealed record LearnedFeatures(double[] Eigenvalues, double[,] Directions);
