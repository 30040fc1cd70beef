using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Threading;
using RfmFast.Persistence;

namespace RfmFast;

/// <summary>A tree fit as independent jobs: <see cref="WritePlan"/> grows the splits and writes one shard per leaf,
/// <see cref="FitLeaf"/> fits one shard, <see cref="Assemble"/> joins the fitted leaves into the model the
/// in-process fit with the same options and data would have built.</summary>
internal static class TreeJobs
{
    public static string[] WritePlan<T>(string directory, ModelFile.Head head, RfmOptions o, bool classification, DenseData<T> x, DenseData<T> y,
        DenseData<T>? xv, DenseData<T>? yv, IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (x, y, xv, yv) = TreeFit.HoldOutForTemperature(x, y, xv, yv, o);
        var plan = TreeBuilder.Plan(x, y, xv, o, classification, progress, ct);
        Directory.CreateDirectory(directory);
        ulong id = (ulong)Random.Shared.NextInt64() ^ ((ulong)Environment.TickCount64 << 1);
        int leaves = plan.LeafRows.Length;
        bool keepValidation = TreeFit.ChoosesTemperature(o) && plan.Splits.Length > 0;
        using (var f = File.Create(Path.Combine(directory, TreeJobFiles.PlanName)))
            TreeJobFiles.WritePlan(f, new TreeJobFiles.PlanContent<T>(id, head with { N = x.Rows }, o, classification, plan.Splits, leaves,
                keepValidation ? xv : null, keepValidation ? yv : null));
        var paths = new string[leaves];
        for (int k = 0; k < leaves; k++)
        {
            ct.ThrowIfCancellationRequested();
            var (lx, ly, lxv, lyv) = TreeFit.LeafData(x, y, xv, yv, plan, k);
            paths[k] = Path.Combine(directory, TreeJobFiles.ShardName(k));
            using var f = File.Create(paths[k]);
            TreeJobFiles.WriteShard(f, new TreeJobFiles.ShardContent<T>(id, k, leaves, o, classification, lx, ly, lxv, lyv));
        }
        return paths;
    }

    public static void FitLeaf(string shard, string output, IProgress<RfmProgress>? progress, CancellationToken ct)
    {
        // One read of the file (a shard holds the leaf's rows): its head says which precision to read the rest in.
        var (r, id, leaf, leaves, precision) = OpenShard(shard);
        if (precision == FitPrecision.Float64)
            FitLeaf(TreeJobFiles.ReadShard<double>(r, id, leaf, leaves), output, progress, ct);
        else
            FitLeaf(TreeJobFiles.ReadShard<float>(r, id, leaf, leaves), output, progress, ct);
    }

    static (FormatReader, ulong, int, int, FitPrecision) OpenShard(string path)
    {
        using var f = File.OpenRead(path);
        return TreeJobFiles.OpenShard(f);
    }

    static void FitLeaf<T>(TreeJobFiles.ShardContent<T> s, string output, IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = TreeFit.FitLeaf(s.X, s.Y, s.XValidation, s.YValidation, s.Options, s.Classification,
            progress is null ? null : new TreeFit.LeafProgress(progress, s.Leaf, s.Leaves), ct);
        // Written to a temporary name and moved: a job killed half way leaves no leaf that looks complete.
        string temp = output + ".partial";
        using (var f = File.Create(temp))
            TreeJobFiles.WriteLeaf(f, s.Id, s.Leaf, state);
        File.Move(temp, output, overwrite: true);
    }

    public static RfmModel Assemble(string directory, IProgress<RfmProgress>? progress, CancellationToken ct)
    {
        FormatReader r;
        ulong id;
        Persistence.ModelFile.Head head;
        using (var f = File.OpenRead(Path.Combine(directory, TreeJobFiles.PlanName)))
            (r, id, head) = TreeJobFiles.OpenPlan(f);
        return head.Precision == FitPrecision.Float64
            ? Assemble(directory, TreeJobFiles.ReadPlan<double>(r, id, head), progress, ct)
            : Assemble(directory, TreeJobFiles.ReadPlan<float>(r, id, head), progress, ct);
    }

    static RfmModel Assemble<T>(string directory, TreeJobFiles.PlanContent<T> p, IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var leaves = new FitState<T>[p.Leaves];
        var from = new string[p.Leaves];
        foreach (string path in TreeJobFiles.LeafFiles(directory))
        {
            ct.ThrowIfCancellationRequested();
            int k;
            FitState<T> s;
            using (var f = File.OpenRead(path))
            {
                try
                {
                    (k, s) = TreeJobFiles.ReadLeaf<T>(f, p.Id, p.Head.D, p.Head.C, p.Head.Kind, p.Head.Exponent);
                }
                catch (RfmModelFormatException e)
                {
                    throw new RfmModelFormatException($"{path}: {e.Message}", e);
                }
            }
            if (k < 0 || k >= p.Leaves)
                throw new RfmModelFormatException($"{path} is leaf {k}; the plan has {p.Leaves} leaves.");
            if (from[k] is not null)
                throw new InvalidOperationException($"Leaf {k} was fitted twice: {from[k]} and {path}.");
            (leaves[k], from[k]) = (s, path);
        }
        var missing = new List<int>();
        for (int k = 0; k < p.Leaves; k++)
            if (leaves[k] is null)
                missing.Add(k);
        if (missing.Count > 0)
            throw new InvalidOperationException($"{missing.Count} of {p.Leaves} leaves are not fitted yet (no .rfmleaf file in {directory} for leaf {string.Join(", ", missing.GetRange(0, Math.Min(10, missing.Count)))}{(missing.Count > 10 ? ", ..." : "")}).");
        long total = 0;
        foreach (var leaf in leaves)
            total += leaf.Centers.Rows;
        if (total != p.Head.N)
            throw new RfmModelFormatException($"The leaves hold {total} rows; the plan has {p.Head.N}.");
        double temperature = TreeFit.Temperature(leaves, p.Splits, p.XValidation, p.YValidation, p.Options, progress, ct);
        var model = ModelFile.Build(new TreeState<T>(leaves, p.Splits, temperature), p.Head.Prep!, p.Head.Classes);
        model.FeatureNames = p.Head.Names.Features;
        model.TargetName = p.Head.Names.Target;
        model.Metadata = p.Head.Names.Metadata;
        model.MaxDegreeOfParallelism = p.Options.MaxDegreeOfParallelism;
        return model;
    }
}
