using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using RfmFast.Core;

namespace RfmFast.Persistence;

/// <summary>
/// Writes and reads the model file (docs/model-format.md): a fixed header, the fit's history, the class map,
/// optional column names, the centers, alpha and M in the model's precision, and a CRC-32C trailer, all
/// little-endian.
/// </summary>
/// <remarks>
/// Reading takes the whole stream into memory first (the buffer grows with the bytes actually read, never with a
/// declared length), checks the trailer's checksum, then parses with every declared count checked against the
/// bytes that remain before anything is allocated from it.
/// </remarks>
internal static class ModelFile
{
    static ReadOnlySpan<byte> Magic => "RFMFAST\0"u8;

    /// <summary>The format version this code writes and the newest it reads. Version 2 added the class label
    /// kind (integers or strings) and the preprocessing, version 3 the body kind (one RFM or a tree of them);
    /// files of versions 1 and 2 still load.</summary>
    public const ushort Version = 3;

    /// <summary>What a file holds besides the fitted state: column names and the caller's key-value metadata.</summary>
    public sealed record Names(IReadOnlyList<string> Features, string? Target, IReadOnlyDictionary<string, string> Metadata);

    /// <summary>Everything a model file holds before its body: the task, precision and kernel, the sizes (n is the
    /// centers over all leaves), the history of a single RFM, the class map, the names and the preprocessing.</summary>
    internal sealed record Head(bool Classifier, FitPrecision Precision, RfmKernel Kind, double Bandwidth, double Exponent, int N, int D, int C,
        int Best, IReadOnlyList<RfmIteration> History, ClassLabels? Classes, Names Names, FittedPreprocessing? Prep);

    public static void Write(Stream stream, RfmModel model, ClassLabels? classes, Names? names)
    {
        var w = SealedFile.Begin(Magic, Version);
        WriteHead(w, new Head(classes is not null, model.Precision, model.Kernel, model.Bandwidth, model.Exponent, model.Centers, model.EncodedFeatures,
            model.Outputs, Math.Max(0, model.BestIteration), model.History, classes, names ?? new Names([], null, new Dictionary<string, string>()), model.Prep));
        if (model.SingleBody is { } s32)
            WriteBody(w, s32);
        else
            WriteBody(w, model.DoubleBody!);
        SealedFile.End(w, stream);
    }

    internal static void WriteHead(FormatWriter w, Head h)
    {
        var classes = h.Classes;
        var names = h.Names;
        w.U16(0); // flags, reserved
        w.U8(h.Classifier ? (byte)1 : (byte)0);
        w.U8(h.Precision == FitPrecision.Float64 ? (byte)1 : (byte)0);
        w.U8((byte)h.Kind);
        w.U8(0);
        w.F64(h.Bandwidth);
        w.F64(h.Exponent);
        w.I32(h.N);
        w.I32(h.D);
        w.I32(h.C);
        w.I32(h.Best);
        WriteHistory(w, h.History);
        w.I32(classes?.Count ?? 0);
        w.U8(classes is { Ints: null } ? (byte)1 : (byte)0);
        if (classes?.Ints is { } ints)
            foreach (int label in ints)
                w.I32(label);
        else
            foreach (string label in classes?.Names ?? [])
                w.Str(label);
        w.I32(names.Features.Count);
        foreach (string s in names.Features)
            w.Str(s);
        w.Str(names.Target);
        w.I32(names.Metadata.Count);
        foreach (var kv in names.Metadata)
        {
            w.Str(kv.Key);
            w.Str(kv.Value);
        }
        WritePreprocessing(w, h.Prep!);
    }

    internal static void WritePreprocessing(FormatWriter w, FittedPreprocessing p)
    {
        var s = p.Settings;
        w.U8((byte)((s.StandardizeFeatures ? 1 : 0) | (s.NormalizeRows ? 2 : 0) | (s.StandardizeTarget ? 4 : 0)));
        w.I32(p.Inputs);
        foreach (double v in p.Mean)
            w.F64(v);
        foreach (double v in p.Scale)
            w.F64(v);
        w.I32(s.CategoricalFeatures.Count);
        foreach (int j in s.CategoricalFeatures)
        {
            w.I32(j);
            var levels = p.Levels(j)!;
            w.I32(levels.Length);
            foreach (double v in levels)
                w.F64(v);
            s.CategoryNames.TryGetValue(j, out var names);
            w.I32(names?.Count ?? -1);
            foreach (string name in names ?? [])
                w.Str(name);
        }
        w.I32(p.TargetMean.Length);
        for (int i = 0; i < p.TargetMean.Length; i++)
        {
            w.F64(p.TargetMean[i]);
            w.F64(p.TargetScale[i]);
        }
    }

    /// <summary>The preprocessing section of a version 2 file; <paramref name="d"/> is the encoded width the arrays have.</summary>
    internal static FittedPreprocessing ReadPreprocessing(FormatReader r, int d, int c)
    {
        byte flags = r.U8();
        if (flags > 7)
            throw new RfmModelFormatException($"Unknown preprocessing flags {flags}.");
        int inputs = r.Count(minBytesEach: 16, "input column");
        if (inputs == 0 || inputs > d)
            throw new RfmModelFormatException($"{inputs} input columns for {d} encoded features.");
        var mean = new double[inputs];
        var scale = new double[inputs];
        for (int j = 0; j < inputs; j++)
            mean[j] = r.F64();
        for (int j = 0; j < inputs; j++)
            scale[j] = r.F64();
        int categorical = r.Count(minBytesEach: 12, "categorical column");
        var levels = new double[]?[inputs];
        var columns = new int[categorical];
        var categoryNames = new Dictionary<int, IReadOnlyList<string>>();
        for (int k = 0; k < categorical; k++)
        {
            int j = r.I32();
            if (j < 0 || j >= inputs || levels[j] is not null)
                throw new RfmModelFormatException($"Categorical column {j} is out of range or repeated.");
            columns[k] = j;
            int count = r.Count(minBytesEach: 8, "category");
            if (count == 0)
                throw new RfmModelFormatException($"Categorical column {j} has no categories.");
            var l = new double[count];
            for (int q = 0; q < count; q++)
            {
                l[q] = r.F64();
                if (!double.IsFinite(l[q]) || (q > 0 && !(l[q] > l[q - 1])))
                    throw new RfmModelFormatException($"The categories of column {j} are not finite, distinct and ascending.");
            }
            levels[j] = l;
            int nameCount = r.I32();
            if (nameCount == -1)
                continue;
            if (nameCount < 0 || (long)nameCount * 4 > r.Remaining)
                throw new RfmModelFormatException($"The category name count {nameCount} of column {j} does not fit in the bytes left.");
            var names = new string[nameCount];
            for (int q = 0; q < nameCount; q++)
                names[q] = r.Str() ?? throw new RfmModelFormatException($"Category name {q} of column {j} is missing.");
            categoryNames[j] = names;
        }
        int targets = r.Count(minBytesEach: 16, "target scaling");
        if (targets != 0 && targets != c)
            throw new RfmModelFormatException($"{targets} target scalings for {c} outputs.");
        var tMean = new double[targets];
        var tScale = new double[targets];
        for (int k = 0; k < targets; k++)
        {
            tMean[k] = r.F64();
            tScale[k] = r.F64();
        }
        var settings = new Preprocessing
        {
            StandardizeFeatures = (flags & 1) != 0, NormalizeRows = (flags & 2) != 0, StandardizeTarget = (flags & 4) != 0,
            CategoricalFeatures = columns, CategoryNames = categoryNames,
        };
        try
        {
            settings.Validate(inputs);
        }
        catch (ArgumentException e)
        {
            throw new RfmModelFormatException($"Invalid preprocessing: {e.Message}", e);
        }
        var prep = Checked(settings, mean, scale, levels, tMean, tScale);
        if (prep.Encoded != d)
            throw new RfmModelFormatException($"The preprocessing encodes {prep.Encoded} features; the arrays have {d}.");
        return prep;
    }

    /// <summary>Means finite and scales positive and finite, or the file is refused.</summary>
    static FittedPreprocessing Checked(Preprocessing settings, double[] mean, double[] scale, double[]?[] levels, double[] tMean, double[] tScale)
    {
        if (Array.Exists(mean, v => !double.IsFinite(v)) || Array.Exists(tMean, v => !double.IsFinite(v))
            || Array.Exists(scale, v => !(v > 0 && double.IsFinite(v))) || Array.Exists(tScale, v => !(v > 0 && double.IsFinite(v))))
            throw new RfmModelFormatException("The preprocessing holds a non-finite mean or a scale that is not positive and finite.");
        for (int j = 0; j < mean.Length; j++)
            if ((!settings.StandardizeFeatures || levels[j] is not null) && (mean[j] != 0 || scale[j] != 1))
                throw new RfmModelFormatException($"Column {j} has a mean or scale but is not standardised.");
        return new FittedPreprocessing(settings, mean, scale, levels, tMean, tScale);
    }

    /// <summary>A version 1 file saved by the rfm tool kept its preprocessing as metadata ("rfm.*" keys); it is
    /// read into the typed preprocessing and class names so that the model predicts from raw rows.</summary>
    static (FittedPreprocessing Prep, ClassLabels? Labels) LegacyCliPreprocessing(IReadOnlyDictionary<string, string> meta, int d, int c,
        ClassLabels? labels)
    {
        if (!meta.TryGetValue("rfm.task", out string? task))
            return (FittedPreprocessing.None(d), labels);
        double[] mean = LegacyNumbers(meta, "rfm.standardize.mean", d), scale = LegacyNumbers(meta, "rfm.standardize.scale", d);
        bool standardize = Array.Exists(mean, v => v != 0) || Array.Exists(scale, v => v != 1);
        if (task == "regression")
        {
            double[] tMean = LegacyNumbers(meta, "rfm.target.mean", 1), tScale = LegacyNumbers(meta, "rfm.target.sd", 1);
            if (c != 1)
                throw new RfmModelFormatException($"A version 1 rfm regression model has {c} outputs; it had one.");
            var settings = new Preprocessing { StandardizeFeatures = standardize, StandardizeTarget = true };
            return (Checked(settings, standardize ? mean : new double[d], standardize ? scale : Ones(d), new double[]?[d], tMean, tScale), labels);
        }
        string[] names = meta.TryGetValue("rfm.classes", out string? joined) ? joined.Split('\u001F') : [];
        if (labels is null || names.Length != c || new HashSet<string>(names, StringComparer.Ordinal).Count != c)
            throw new RfmModelFormatException("A version 1 rfm classification model's class names do not match its outputs.");
        var cls = new Preprocessing { StandardizeFeatures = standardize };
        return (Checked(cls, standardize ? mean : new double[d], standardize ? scale : Ones(d), new double[]?[d], [], []), ClassLabels.FromStrings(names));
    }

    static double[] Ones(int d)
    {
        var v = new double[d];
        Array.Fill(v, 1.0);
        return v;
    }

    static double[] LegacyNumbers(IReadOnlyDictionary<string, string> meta, string key, int count)
    {
        if (!meta.TryGetValue(key, out string? s))
            throw new RfmModelFormatException($"A version 1 rfm model lacks its '{key}' entry.");
        string[] parts = s.Split(',');
        var v = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out v[i]))
                throw new RfmModelFormatException($"A version 1 rfm model's '{key}' entry is malformed.");
        if (v.Length != count)
            throw new RfmModelFormatException($"A version 1 rfm model's '{key}' entry has {v.Length} values for {count}.");
        return v;
    }

    internal static void WriteHistory(FormatWriter w, IReadOnlyList<RfmIteration> history)
    {
        w.I32(history.Count);
        foreach (var h in history)
        {
            w.I32(h.Iteration);
            w.F64(h.ValidationScore);
            w.F64(h.Seconds);
            w.U8((byte)h.Solve.Requested);
            w.U8((byte)h.Solve.Used);
            w.U8(h.Solve.FellBack ? (byte)1 : (byte)0);
            w.U8(0);
            w.I32(h.Solve.Refinements);
            w.F64(h.Solve.BackwardError);
            w.Str(h.Solve.Reason);
            w.Str(h.Failure);
        }
    }

    internal static List<RfmIteration> ReadHistory(FormatReader r, int version)
    {
        int historyCount = r.Count(minBytesEach: 32, "history");
        var history = new List<RfmIteration>(historyCount);
        for (int i = 0; i < historyCount; i++)
        {
            int it = r.I32();
            double score = r.F64(), seconds = r.F64();
            byte req = r.U8(), used = r.U8(), fell = r.U8();
            r.U8();
            int refinements = r.I32();
            double be = r.F64();
            string? reason = r.Str();
            if (req > 2 || used > 2 || fell > 1)
                throw new RfmModelFormatException($"Invalid solve report in history entry {i}.");
            history.Add(new RfmIteration(it, score, seconds, new RfmSolveReport((RfmSolvePrecision)req, (RfmSolvePrecision)used, refinements, be, fell == 1, reason),
                version >= 2 ? r.Str() : null));
        }
        return history;
    }

    /// <summary>Version 3's body: kind 0 and one RFM's arrays, or kind 1 and a tree: its splits, its temperature and
    /// each leaf's bandwidth, centers count, best iteration, history and arrays.</summary>
    internal static void WriteBody<T>(FormatWriter w, ModelBody<T> body) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!body.IsTree)
        {
            w.U8(0);
            WriteArrays(w, body.First);
            return;
        }
        w.U8(1);
        WriteSplits(w, body.Splits);
        w.F64(body.Temperature);
        foreach (var leaf in body.Leaves)
            WriteLeafState(w, leaf.State);
    }

    /// <summary>The split count, then each split's direction (d values), threshold, spread and children.</summary>
    internal static void WriteSplits(FormatWriter w, SplitNode[] splits)
    {
        w.I32(splits.Length);
        foreach (var s in splits)
        {
            foreach (double v in s.Direction)
                w.F64(v);
            w.F64(s.Threshold);
            w.F64(s.Spread);
            w.I32(s.Left);
            w.I32(s.Right);
        }
    }

    /// <summary>A leaf's bandwidth, centers count, best iteration, history and arrays.</summary>
    internal static void WriteLeafState<T>(FormatWriter w, FitState<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        w.F64(s.Kernel.Bandwidth);
        w.I32(s.Centers.Rows);
        w.I32(s.BestIteration);
        WriteHistory(w, s.History);
        WriteArrays(w, s);
    }

    /// <summary>A version 3 tree: its splits (<see cref="ReadSplits"/>), temperature and leaves, whose centers must add
    /// up to the header's n.</summary>
    internal static TreeState<T> ReadTree<T>(FormatReader r, int n, int d, int c, RfmKernel kind, double exponent, int version)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var splits = ReadSplits(r, d, null);
        int leafCount = splits.Length + 1;
        double temperature = r.F64();
        if (!(temperature >= 0 && double.IsFinite(temperature)))
            throw new RfmModelFormatException($"Invalid routing temperature {temperature}.");
        if (leafCount > r.Remaining / 52)
            throw new RfmModelFormatException($"The tree's {leafCount} leaves do not fit in the {r.Remaining} bytes left.");
        var leaves = new FitState<T>[leafCount];
        long total = 0;
        for (int k = 0; k < leafCount; k++)
        {
            leaves[k] = ReadLeafState<T>(r, n, d, c, kind, exponent, version);
            total += leaves[k].Centers.Rows;
        }
        if (total != n)
            throw new RfmModelFormatException($"The leaves hold {total} centers; the header says {n}.");
        return new TreeState<T>(leaves, splits, temperature);
    }

    /// <summary>Splits whose children form one tree: each child numbered after its parent, each split but the root and
    /// each leaf reached exactly once. The count (<paramref name="expected"/>, or any positive count when null) is
    /// checked against the bytes left before anything is allocated from it.</summary>
    internal static SplitNode[] ReadSplits(FormatReader r, int d, int? expected)
    {
        int splitCount = r.I32();
        if (splitCount < 0 || splitCount > r.Remaining / (8L * d + 24))
            throw new RfmModelFormatException($"The tree's split count {splitCount} does not fit in the {r.Remaining} bytes left.");
        if (expected is int e ? splitCount != e : splitCount == 0)
            throw new RfmModelFormatException($"The tree has {splitCount} splits; {(expected is int x ? x.ToString(System.Globalization.CultureInfo.InvariantCulture) : "at least one")} were expected.");
        int leafCount = splitCount + 1;
        var splits = new SplitNode[splitCount];
        var splitSeen = new bool[splitCount];
        var leafSeen = new bool[leafCount];
        for (int k = 0; k < splitCount; k++)
        {
            var direction = new double[d];
            for (int j = 0; j < d; j++)
                direction[j] = r.F64();
            double threshold = r.F64(), spread = r.F64();
            int left = r.I32(), right = r.I32();
            if (!Array.TrueForAll(direction, double.IsFinite) || !double.IsFinite(threshold) || !(spread > 0 && double.IsFinite(spread)))
                throw new RfmModelFormatException($"Split {k} has a non-finite direction or threshold, or a spread that is not positive.");
            foreach (int child in (ReadOnlySpan<int>)[left, right])
            {
                bool ok = child < 0 ? ~child < leafCount && !leafSeen[~child] : child > k && child < splitCount && !splitSeen[child];
                if (!ok)
                    throw new RfmModelFormatException($"Split {k} has a child {child} that is out of range or reached twice.");
                if (child < 0)
                    leafSeen[~child] = true;
                else
                    splitSeen[child] = true;
            }
            splits[k] = new SplitNode(direction, threshold, spread, left, right);
        }
        if (splitCount > 0 && (splitSeen[0] || Array.IndexOf(splitSeen, false, 1) >= 0 || Array.IndexOf(leafSeen, false) >= 0))
            throw new RfmModelFormatException("The tree's splits do not form one tree over all its leaves.");
        return splits;
    }

    /// <summary>One leaf (<see cref="WriteLeafState"/>), with at most <paramref name="maxRows"/> centers.</summary>
    internal static FitState<T> ReadLeafState<T>(FormatReader r, int maxRows, int d, int c, RfmKernel kind, double exponent, int version)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double bandwidth = r.F64();
        int rows = r.I32(), best = r.I32();
        if (!(bandwidth > 0) || !double.IsFinite(bandwidth))
            throw new RfmModelFormatException($"A leaf has an invalid bandwidth {bandwidth}.");
        if (rows <= 0 || rows > maxRows)
            throw new RfmModelFormatException($"A leaf has {rows} centers; the model has {maxRows}.");
        var history = ReadHistory(r, version);
        CheckBest(best, history.Count);
        return ReadState<T>(r, rows, d, c, CoreTypes.Kernel(kind, bandwidth, exponent), history, best);
    }

    internal static void CheckBest(int best, int historyCount)
    {
        if (best < 0 || (historyCount > 0 && best >= historyCount))
            throw new RfmModelFormatException($"The best iteration {best} is not in the history ({historyCount} entries).");
    }

    internal static void WriteArrays<T>(FormatWriter w, FitState<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        w.Values<T>(s.Centers.Values);
        w.Values<T>(s.Alpha);
        w.Values<T>(s.Metric);
    }

    /// <summary>Reads a model written by <see cref="Write"/>, validating everything.</summary>
    public static (RfmModel Model, Names Names) Read(Stream stream)
    {
        var (r, version) = SealedFile.Open(stream, Magic, Version, "model file");
        var h = ReadHead(r, version);
        var (precision, kind, exponent, n, d, c, best, history) = (h.Precision, h.Kind, h.Exponent, h.N, h.D, h.C, h.Best, h.History);
        var kernel = CoreTypes.Kernel(kind, h.Bandwidth, exponent);
        var (prep, classes, metadata) = (h.Prep, h.Classes, h.Names.Metadata);
        byte body = version >= 3 ? r.U8() : (byte)0;
        if (body > 1)
            throw new RfmModelFormatException($"Unknown model body kind {body}.");
        // The arrays' sizes are checked against the bytes left before anything of size d is made for a version 1 file.
        TreeState<float>? s32 = precision != FitPrecision.Float32 ? null
            : body == 1 ? ReadTree<float>(r, n, d, c, kind, exponent, version)
            : new TreeState<float>([ReadState<float>(r, n, d, c, kernel, history, best)], [], 0);
        TreeState<double>? s64 = precision != FitPrecision.Float64 ? null
            : body == 1 ? ReadTree<double>(r, n, d, c, kind, exponent, version)
            : new TreeState<double>([ReadState<double>(r, n, d, c, kernel, history, best)], [], 0);
        if (prep is null)
            (prep, classes) = LegacyCliPreprocessing(metadata, d, c, classes);
        CheckPreprocessing(h with { Prep = prep });
        RfmModel model = s64 is not null ? Build(s64, prep!, classes) : Build(s32!, prep!, classes);
        if (!r.AtEnd)
            throw new RfmModelFormatException("The model file has extra bytes before its checksum: the sizes do not add up.");
        return (model, h.Names);
    }

    /// <summary>The head of a model file (or of a tree plan), every field checked; the preprocessing is null for a
    /// version 1 file.</summary>
    internal static Head ReadHead(FormatReader r, ushort version)
    {
        r.U16(); // flags
        byte task = r.U8(), precision = r.U8(), kind = r.U8();
        r.U8();
        if (task > 1)
            throw new RfmModelFormatException($"Unknown task code {task}.");
        if (precision > 1)
            throw new RfmModelFormatException($"Unknown precision code {precision}.");
        if (!Enum.IsDefined((RfmKernel)kind))
            throw new RfmModelFormatException($"Unknown kernel kind {kind}.");
        double bandwidth = r.F64(), exponent = r.F64();
        if (!(bandwidth > 0) || !double.IsFinite(bandwidth) || !(exponent > 0 && exponent <= 2))
            throw new RfmModelFormatException($"Invalid kernel parameters (bandwidth {bandwidth}, exponent {exponent}).");
        int n = r.I32(), d = r.I32(), c = r.I32(), best = r.I32();
        if (n <= 0 || d <= 0 || c <= 0)
            throw new RfmModelFormatException($"Invalid sizes n = {n}, d = {d}, c = {c}: each must be positive.");
        var history = ReadHistory(r, version);
        CheckBest(best, history.Count);
        int classCount = r.Count(minBytesEach: 4, "classes");
        byte labelKind = version >= 2 ? r.U8() : (byte)0;
        if (labelKind > 1)
            throw new RfmModelFormatException($"Unknown class label kind {labelKind}.");
        ClassLabels labels;
        if (labelKind == 0)
        {
            var ints = new int[classCount];
            for (int i = 0; i < classCount; i++)
                ints[i] = r.I32();
            if (new HashSet<int>(ints).Count != classCount)
                throw new RfmModelFormatException("The class map repeats a label.");
            labels = ClassLabels.FromInts(ints);
        }
        else
        {
            var strings = new string[classCount];
            for (int i = 0; i < classCount; i++)
                strings[i] = r.Str() ?? throw new RfmModelFormatException($"Class label {i} is missing.");
            if (new HashSet<string>(strings, StringComparer.Ordinal).Count != classCount)
                throw new RfmModelFormatException("The class map repeats a label.");
            labels = ClassLabels.FromStrings(strings);
        }
        if (task == 1 && (classCount != c || classCount < 2))
            throw new RfmModelFormatException($"A classifier needs one class per output: {classCount} classes for {c} outputs.");
        if (task == 0 && classCount != 0)
            throw new RfmModelFormatException("A regression model has no class map.");
        int nameCount = r.Count(minBytesEach: 4, "feature names");
        var features = new string[nameCount];
        for (int i = 0; i < nameCount; i++)
            features[i] = r.Str() ?? throw new RfmModelFormatException($"Feature name {i} is missing.");
        string? target = r.Str();
        int metaCount = r.Count(minBytesEach: 8, "metadata");
        var metadata = new Dictionary<string, string>(metaCount, StringComparer.Ordinal);
        for (int i = 0; i < metaCount; i++)
        {
            string key = r.Str() ?? throw new RfmModelFormatException($"Metadata key {i} is missing.");
            string value = r.Str() ?? throw new RfmModelFormatException($"Metadata value '{key}' is missing.");
            if (!metadata.TryAdd(key, value))
                throw new RfmModelFormatException($"The metadata key '{key}' is repeated.");
        }
        ClassLabels? classes = task == 1 ? labels : null;
        FittedPreprocessing? prep = version >= 2 ? ReadPreprocessing(r, d, c) : null;
        return new Head(task == 1, precision == 1 ? FitPrecision.Float64 : FitPrecision.Float32, (RfmKernel)kind, bandwidth, exponent, n, d, c, best,
            history, classes, new Names(features, target, metadata), prep);
    }

    /// <summary>Feature names for the input columns, and no target scaling for a classifier.</summary>
    internal static void CheckPreprocessing(Head h)
    {
        if (h.Names.Features.Count != 0 && h.Names.Features.Count != h.Prep!.Inputs)
            throw new RfmModelFormatException($"{h.Names.Features.Count} feature names for {h.Prep.Inputs} input features.");
        if (h.Classifier && h.Prep!.MapsTarget)
            throw new RfmModelFormatException("A classifier has no target scaling.");
    }

    /// <summary>The model of a fitted state in either precision.</summary>
    internal static RfmModel Build<T>(TreeState<T> s, FittedPreprocessing prep, ClassLabels? classes) where T : unmanaged, IFloatingPointIeee754<T> =>
        s is TreeState<float> f ? Build(f, prep, classes) : Build((TreeState<double>)(object)s, prep, classes);

    internal static RfmModel Build(TreeState<float> s, FittedPreprocessing prep, ClassLabels? classes) =>
        classes is null ? new RfmRegressionModel(s, prep) : new RfmClassifierModel(s, prep, classes);

    internal static RfmModel Build(TreeState<double> s, FittedPreprocessing prep, ClassLabels? classes) =>
        classes is null ? new RfmRegressionModel(s, prep) : new RfmClassifierModel(s, prep, classes);

    internal static FitState<T> ReadState<T>(FormatReader r, int n, int d, int c, KernelFunction kernel, IReadOnlyList<RfmIteration> history, int best)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // In 128 bits: with d near 2^31 the sum times the element size wraps a long (to a negative number that
        // would pass the check), after which n * d could wrap an int to a huge legal array length.
        Int128 size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        Int128 need = ((Int128)n * d + (Int128)n * c + (Int128)d * d) * size;
        // Past this check every product fits in an int: need is at most the bytes left in a byte array.
        if (need > r.Remaining)
            throw new RfmModelFormatException($"The sizes n = {n}, d = {d}, c = {c} need {need} bytes of arrays; the file has {r.Remaining} left.");
        var centers = r.Values<T>(n * d, "centers");
        var alpha = r.Values<T>(n * c, "alpha");
        var metric = r.Values<T>(d * d, "M");
        return new FitState<T>(new DenseData<T>(centers, n, d), alpha, c, metric, kernel, history, best);
    }

    internal static byte[] ReadAll(Stream stream)
    {
        // Capacity from the stream's real length (not from anything declared inside it), capped; it grows as read.
        using var ms = new MemoryStream(stream.CanSeek ? (int)Math.Clamp(stream.Length - stream.Position, 0, 64 << 20) : 0);
        stream.CopyTo(ms);
        return ms.ToArray();
    }
}
