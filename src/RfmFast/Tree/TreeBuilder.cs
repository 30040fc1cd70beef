using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Threading;

namespace RfmFast;

/// <summary>Grows a tree's splits (xRFM's <c>_build_tree</c>): a node with more than
/// <see cref="TreeOptions.MaxLeafSize"/> rows learns a direction (<see cref="SplitDirection"/>) and gives the lower
/// half of its rows by projection (ceil(n / 2), ties broken by row index) to the left child, the rest to the right;
/// its threshold is the largest left projection. Training rows are assigned by rank, so halves are balanced and the
/// recursion ends even on duplicated rows; a row to predict goes left when its projection is at most the threshold.</summary>
internal static class TreeBuilder
{
    public static TreePlan Plan<T>(DenseData<T> x, DenseData<T> y, DenseData<T>? xv, RfmOptions o, bool classification,
        IProgress<RfmProgress>? progress, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var all = new int[x.Rows];
        for (int i = 0; i < all.Length; i++)
            all[i] = i;
        var allV = new int[xv?.Rows ?? 0];
        for (int i = 0; i < allV.Length; i++)
            allV[i] = i;
        var g = new Grower<T>(x, y, xv, o, classification, progress, TreePlan.LeafCount(x.Rows, o.Tree.MaxLeafSize), ct);
        g.Grow(all, allV);
        return new TreePlan([.. g.Splits], [.. g.LeafRows], [.. g.LeafValidationRows]);
    }

    sealed class Grower<T>(DenseData<T> x, DenseData<T> y, DenseData<T>? xv, RfmOptions o, bool classification,
        IProgress<RfmProgress>? progress, int leafCount, CancellationToken ct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        readonly Stopwatch _clock = Stopwatch.StartNew();

        public List<SplitNode> Splits { get; } = [];
        public List<int[]> LeafRows { get; } = [];
        public List<int[]> LeafValidationRows { get; } = [];

        /// <summary>Grows the subtree of these rows; returns its node index, or ~leaf.</summary>
        public int Grow(int[] rows, int[] vRows)
        {
            if (rows.Length <= o.Tree.MaxLeafSize)
            {
                LeafRows.Add(rows);
                LeafValidationRows.Add(vRows);
                return ~(LeafRows.Count - 1);
            }
            ct.ThrowIfCancellationRequested();
            int node = Splits.Count;
            Splits.Add(null!);
            var direction = SplitDirection.Learn(x, y, rows, o, classification, o.Seed + 7919 * (node + 1), ct);
            var s = new double[rows.Length];
            for (int i = 0; i < rows.Length; i++)
                s[i] = SplitNode.Dot(direction, x.Row(rows[i]));
            var order = new int[rows.Length];
            for (int i = 0; i < order.Length; i++)
                order[i] = i;
            Array.Sort(order, (a, b) => s[a] != s[b] ? s[a].CompareTo(s[b]) : a.CompareTo(b));
            int half = (rows.Length + 1) / 2;
            double threshold = s[order[half - 1]];
            double spread = Math.Max(1e-6, s[order[3 * rows.Length / 4]] - s[order[rows.Length / 4]]);
            var left = Pick(rows, order[..half]);
            var right = Pick(rows, order[half..]);
            var vLeft = new List<int>();
            var vRight = new List<int>();
            foreach (int i in vRows)
                (SplitNode.Dot(direction, xv!.Row(i)) <= threshold ? vLeft : vRight).Add(i);
            progress?.Report(new RfmProgress(0, RfmPhase.Split, double.NaN, _clock.Elapsed, node, leafCount));
            int l = Grow(left, [.. vLeft]);
            int r = Grow(right, [.. vRight]);
            Splits[node] = new SplitNode(direction, threshold, spread, l, r);
            return node;
        }

        static int[] Pick(int[] rows, int[] positions)
        {
            var r = new int[positions.Length];
            for (int i = 0; i < r.Length; i++)
                r[i] = rows[positions[i]];
            Array.Sort(r);
            return r;
        }
    }
}
