using System;
using System.Numerics;
using System.Threading;

namespace RfmFast;

/// <summary>The fitted tree in the kernel's space: its leaves' states, its splits and its routing temperature
/// (0: hard).</summary>
internal sealed record TreeState<T>(FitState<T>[] Leaves, SplitNode[] Splits, double Temperature) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>Fits a tree of RFMs: the splits (<see cref="TreeBuilder"/>), then each leaf as an ordinary RFM on its
/// rows, one at a time so that only one leaf's kernel matrix is held, then the routing temperature.</summary>
internal static class TreeFit
{
    /// <summary>The fewest validation rows routed to a leaf for it to choose its iteration on them; a leaf with fewer
    /// holds out its own (<see cref="RfmOptions.ValidationFraction"/>) as a fit without validation data does.</summary>
    public const int MinLeafValidation = 100;

    /// <summary>At most this many validation rows (a seeded sample) choose the soft-routing temperature.</summary>
    const int TemperatureRows = 5000;

    public static TreeState<T> Fit<T>(DenseData<T> x, DenseData<T> y, DenseData<T>? xv, DenseData<T>? yv, RfmOptions o, bool classification,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (x, y, xv, yv) = HoldOutForTemperature(x, y, xv, yv, o);
        var plan = TreeBuilder.Plan(x, y, xv, o, classification, progress, ct);
        var leaves = new FitState<T>[plan.LeafRows.Length];
        for (int k = 0; k < leaves.Length; k++)
        {
            var (lx, ly, lxv, lyv) = LeafData(x, y, xv, yv, plan, k);
            leaves[k] = FitLeaf(lx, ly, lxv, lyv, o, classification, progress is null ? null : new LeafProgress(progress, k, leaves.Length), ct);
        }
        return new TreeState<T>(leaves, plan.Splits, Temperature(leaves, plan.Splits, xv, yv, o, progress, ct));
    }

    /// <summary>Whether the fit chooses a soft-routing temperature on validation rows.</summary>
    public static bool ChoosesTemperature(RfmOptions o) => o.Tree.Routing == TreeRouting.Soft && double.IsNaN(o.Tree.Temperature);

    /// <summary>Soft routing learns its temperature on held-out rows: without validation data, a seeded fraction of
    /// the training rows (at most 10000) is set aside for it (and for the leaves' iteration choice), when there will be
    /// splits to route through.</summary>
    public static (DenseData<T> X, DenseData<T> Y, DenseData<T>? Xv, DenseData<T>? Yv) HoldOutForTemperature<T>(DenseData<T> x, DenseData<T> y,
        DenseData<T>? xv, DenseData<T>? yv, RfmOptions o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!ChoosesTemperature(o) || xv is not null || x.Rows < 10 || x.Rows <= o.Tree.MaxLeafSize)
            return (x, y, xv, yv);
        double fraction = Math.Min(o.ValidationFraction > 0 ? o.ValidationFraction : 0.2, 10000.0 / x.Rows);
        var (kept, held) = DataSplit.Random(x.Rows, fraction, o.Seed + 3);
        return (x.Take(kept), y.Take(kept), x.Take(held), y.Take(held));
    }

    /// <summary>The routing temperature of the fitted leaves: 0 for hard routing, the given one, or the one chosen on
    /// the validation rows.</summary>
    public static double Temperature<T>(FitState<T>[] leaves, SplitNode[] splits, DenseData<T>? xv, DenseData<T>? yv, RfmOptions o,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        o.Tree.Routing == TreeRouting.Hard || splits.Length == 0 ? 0
        : !ChoosesTemperature(o) ? o.Tree.Temperature
        : xv is null ? 0
        : ChooseTemperature(new ModelBody<T>(leaves, splits, 0), xv, yv!, o, progress, ct);

    /// <summary>What leaf <paramref name="k"/> of a plan is fitted on: its rows, and its routed validation rows if
    /// there are enough. A leaf fitted elsewhere from these (a shard) is the same leaf.</summary>
    public static (DenseData<T> X, DenseData<T> Y, DenseData<T>? Xv, DenseData<T>? Yv) LeafData<T>(DenseData<T> x, DenseData<T> y,
        DenseData<T>? xv, DenseData<T>? yv, TreePlan plan, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = plan.LeafValidationRows[k];
        bool useV = xv is not null && v.Length >= MinLeafValidation;
        return (x.Take(plan.LeafRows[k]), y.Take(plan.LeafRows[k]), useV ? xv!.Take(v) : null, useV ? yv!.Take(v) : null);
    }

    /// <summary>One leaf's fit on its own rows.</summary>
    public static FitState<T> FitLeaf<T>(DenseData<T> x, DenseData<T> y, DenseData<T>? xv, DenseData<T>? yv, RfmOptions o,
        bool classification, IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ct.ThrowIfCancellationRequested();
        return RfmTrainer.Fit(x, y, xv, yv, o, classification, progress, ct);
    }

    /// <summary>Among 0 (hard) and xRFM's 20 log-spaced temperatures from 0.025 to 4.5, the one with the lowest mean
    /// squared error of the outputs on (a sample of) the validation rows (the Brier score for a classifier); the
    /// smallest on ties.</summary>
    static double ChooseTemperature<T>(ModelBody<T> body, DenseData<T> xv, DenseData<T> yv, RfmOptions o, IProgress<RfmProgress>? progress,
        CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (xv.Rows > TemperatureRows)
        {
            var rows = Sampling.Indices(xv.Rows, TemperatureRows, o.Seed + 4);
            (xv, yv) = (xv.Take(rows), yv.Take(rows));
        }
        int workers = RfmTrainer.Workers(o.MaxDegreeOfParallelism);
        double best = 0, bestError = double.PositiveInfinity;
        for (int i = 0; i <= 20; i++)
        {
            ct.ThrowIfCancellationRequested();
            double t = i == 0 ? 0 : 0.025 * Math.Pow(4.5 / 0.025, (i - 1) / 19.0);
            var p = body.Batch(xv, workers, t);
            double e = 0;
            for (int j = 0; j < p.Length; j++)
            {
                double r = double.CreateTruncating(p[j]) - double.CreateTruncating(yv.Values[j]);
                e += r * r;
            }
            if (e < bestError)
                (best, bestError) = (t, e);
        }
        progress?.Report(new RfmProgress(0, RfmPhase.Routing, bestError / (xv.Rows * yv.Cols), TimeSpan.Zero, -1, body.Leaves.Length));
        return best;
    }

    /// <summary>A leaf's progress reports, tagged with the leaf.</summary>
    internal sealed class LeafProgress(IProgress<RfmProgress> inner, int leaf, int leaves) : IProgress<RfmProgress>
    {
        public void Report(RfmProgress value) => inner.Report(value with { Node = leaf, Leaves = leaves });
    }
}
