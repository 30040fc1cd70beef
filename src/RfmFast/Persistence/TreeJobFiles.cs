using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace RfmFast.Persistence;

/// <summary>
/// The files of a tree fit split into jobs (docs/model-format.md, "Tree jobs"): the plan (the model's head, the
/// options, the splits and, when soft routing must choose its temperature, the validation rows), one shard per leaf
/// (the leaf's rows in the kernel's space, already preprocessed, and the options) and one fitted leaf per shard. Every
/// file carries the plan's id, so that a leaf of another plan is refused; every count is checked before allocation.
/// </summary>
internal static class TreeJobFiles
{
    static ReadOnlySpan<byte> PlanMagic => "RFMPLAN\0"u8;
    static ReadOnlySpan<byte> ShardMagic => "RFMSHRD\0"u8;
    static ReadOnlySpan<byte> LeafMagic => "RFMLEAF\0"u8;

    const ushort Version = 1;

    /// <summary>The plan file's name in a plan folder.</summary>
    public const string PlanName = "plan.rfmplan";

    /// <summary>A shard's file name.</summary>
    public static string ShardName(int leaf) => $"shard-{leaf:D4}.rfmshard";

    /// <summary>What a plan file holds.</summary>
    public sealed record PlanContent<T>(ulong Id, ModelFile.Head Head, RfmOptions Options, bool Classification, SplitNode[] Splits, int Leaves,
        DenseData<T>? XValidation, DenseData<T>? YValidation) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>What a shard holds: one leaf's fit, self-contained.</summary>
    public sealed record ShardContent<T>(ulong Id, int Leaf, int Leaves, RfmOptions Options, bool Classification, DenseData<T> X, DenseData<T> Y,
        DenseData<T>? XValidation, DenseData<T>? YValidation) where T : unmanaged, IFloatingPointIeee754<T>;

    public static void WritePlan<T>(Stream stream, PlanContent<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = SealedFile.Begin(PlanMagic, Version);
        w.U64(p.Id);
        ModelFile.WriteHead(w, p.Head);
        OptionsCodec.Write(w, p.Options);
        w.U8(p.Classification ? (byte)1 : (byte)0);
        w.I32(p.Leaves);
        ModelFile.WriteSplits(w, p.Splits);
        WriteOptionalRows(w, p.XValidation, p.YValidation);
        SealedFile.End(w, stream);
    }

    /// <summary>A plan file read and checked up to its head, whose precision chooses <see cref="ReadPlan"/>'s type.</summary>
    public static (FormatReader Reader, ulong Id, ModelFile.Head Head) OpenPlan(Stream stream)
    {
        var (r, _) = SealedFile.Open(stream, PlanMagic, Version, "tree plan");
        ulong id = r.U64();
        var head = ModelFile.ReadHead(r, ModelFile.Version);
        ModelFile.CheckPreprocessing(head);
        return (r, id, head);
    }

    /// <summary>The rest of a plan opened by <see cref="OpenPlan"/>.</summary>
    public static PlanContent<T> ReadPlan<T>(FormatReader r, ulong id, ModelFile.Head head) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var o = OptionsCodec.Read(r, head.D);
        bool classification = Flag(r, "classification");
        int leaves = r.I32();
        if (leaves <= 0 || leaves > head.N)
            throw new RfmModelFormatException($"The plan has {leaves} leaves for {head.N} rows.");
        var splits = ModelFile.ReadSplits(r, head.D, leaves - 1);
        var (xv, yv) = ReadOptionalRows<T>(r, head.D, head.C);
        End(r, "tree plan");
        return new PlanContent<T>(id, head, o, classification, splits, leaves, xv, yv);
    }

    public static void WriteShard<T>(Stream stream, ShardContent<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = SealedFile.Begin(ShardMagic, Version);
        w.U64(s.Id);
        w.I32(s.Leaf);
        w.I32(s.Leaves);
        w.U8(typeof(T) == typeof(double) ? (byte)1 : (byte)0);
        OptionsCodec.Write(w, s.Options);
        w.U8(s.Classification ? (byte)1 : (byte)0);
        w.I32(s.X.Rows);
        w.I32(s.X.Cols);
        w.I32(s.Y.Cols);
        w.Values(s.X.Values);
        w.Values(s.Y.Values);
        WriteOptionalRows(w, s.XValidation, s.YValidation);
        SealedFile.End(w, stream);
    }

    /// <summary>A shard read and checked up to its precision, which chooses <see cref="ReadShard"/>'s type.</summary>
    public static (FormatReader Reader, ulong Id, int Leaf, int Leaves, FitPrecision Precision) OpenShard(Stream stream)
    {
        var (r, _) = SealedFile.Open(stream, ShardMagic, Version, "tree shard");
        ulong id = r.U64();
        int leaf = r.I32(), leaves = r.I32();
        if (leaves <= 0 || leaf < 0 || leaf >= leaves)
            throw new RfmModelFormatException($"The shard is leaf {leaf} of {leaves}.");
        return (r, id, leaf, leaves, Flag(r, "precision") ? FitPrecision.Float64 : FitPrecision.Float32);
    }

    /// <summary>The rest of a shard opened by <see cref="OpenShard"/>.</summary>
    public static ShardContent<T> ReadShard<T>(FormatReader r, ulong id, int leaf, int leaves) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var o = OptionsCodec.Read(r, null);
        bool classification = Flag(r, "classification");
        int n = r.I32(), d = r.I32(), c = r.I32();
        var (x, y) = Rows<T>(r, n, d, c, "shard rows");
        var (xv, yv) = ReadOptionalRows<T>(r, d, c);
        End(r, "tree shard");
        if (o.Metric is { } m && m.GetLength(0) != d)
            throw new RfmModelFormatException($"The shard's given metric is {m.GetLength(0)} wide for {d} features.");
        return new ShardContent<T>(id, leaf, leaves, o, classification, x, y, xv, yv);
    }

    /// <summary>A fitted leaf: the plan's id, the leaf's index and its state.</summary>
    public static void WriteLeaf<T>(Stream stream, ulong id, int leaf, FitState<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = SealedFile.Begin(LeafMagic, Version);
        w.U64(id);
        w.I32(leaf);
        w.U8(typeof(T) == typeof(double) ? (byte)1 : (byte)0);
        w.U8((byte)CoreTypes.Kind(s.Kernel.Kind));
        w.F64(s.Kernel.Exponent);
        w.I32(s.Centers.Cols);
        w.I32(s.Outputs);
        ModelFile.WriteLeafState(w, s);
        SealedFile.End(w, stream);
    }

    /// <summary>A fitted leaf of the plan <paramref name="id"/> with d features and c outputs, or an exception
    /// naming what does not match.</summary>
    public static (int Leaf, FitState<T> State) ReadLeaf<T>(Stream stream, ulong id, int d, int c, RfmKernel kind, double exponent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (r, _) = SealedFile.Open(stream, LeafMagic, Version, "fitted leaf");
        if (r.U64() != id)
            throw new RfmModelFormatException("The leaf was fitted from a shard of another plan.");
        int leaf = r.I32();
        if (Flag(r, "precision") != (typeof(T) == typeof(double)))
            throw new RfmModelFormatException("The leaf's precision is not the plan's.");
        byte k = r.U8();
        double q = r.F64();
        int dd = r.I32(), cc = r.I32();
        if (k != (byte)kind || q != exponent || dd != d || cc != c)
            throw new RfmModelFormatException($"The leaf's kernel or shape (d = {dd}, c = {cc}) is not the plan's (d = {d}, c = {c}).");
        var s = ModelFile.ReadLeafState<T>(r, int.MaxValue, d, c, kind, exponent, ModelFile.Version);
        End(r, "fitted leaf");
        return (leaf, s);
    }

    static void WriteOptionalRows<T>(FormatWriter w, DenseData<T>? x, DenseData<T>? y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        w.I32(x?.Rows ?? 0);
        if (x is null)
            return;
        w.Values(x.Values);
        w.Values(y!.Values);
    }

    static (DenseData<T>? X, DenseData<T>? Y) ReadOptionalRows<T>(FormatReader r, int d, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = r.I32();
        if (m == 0)
            return (null, null);
        var (x, y) = Rows<T>(r, m, d, c, "validation rows");
        return (x, y);
    }

    static (DenseData<T> X, DenseData<T> Y) Rows<T>(FormatReader r, int n, int d, int c, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Int128 size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (n <= 0 || d <= 0 || c <= 0 || ((Int128)n * d + (Int128)n * c) * size > r.Remaining)
            throw new RfmModelFormatException($"The {what} (n = {n}, d = {d}, c = {c}) do not fit in the {r.Remaining} bytes left.");
        return (new DenseData<T>(r.Values<T>(n * d, what), n, d), new DenseData<T>(r.Values<T>(n * c, what), n, c));
    }

    static bool Flag(FormatReader r, string what)
    {
        byte b = r.U8();
        return b <= 1 ? b == 1 : throw new RfmModelFormatException($"Invalid {what} flag {b}.");
    }

    static void End(FormatReader r, string what)
    {
        if (!r.AtEnd)
            throw new RfmModelFormatException($"The {what} has extra bytes before its checksum: the sizes do not add up.");
    }

    /// <summary>The fitted leaf files of a folder, by leaf index.</summary>
    public static IEnumerable<string> LeafFiles(string directory) => Directory.EnumerateFiles(directory, "*.rfmleaf");
}
