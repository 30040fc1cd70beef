using System;
using System.Numerics;

namespace RfmFast;

/// <summary>Sends rows to leaves through a tree's splits: hard (one leaf by the thresholds) or soft (xRFM's sigmoid
/// gates: a leaf's weight is the product of the gates on its path, the leaves holding 99 % of the weight, at most
/// <see cref="MaxSoftLeaves"/>, kept and renormalised).</summary>
internal static class TreeRouter
{
    /// <summary>The most leaves a soft-routed row is mixed from.</summary>
    public const int MaxSoftLeaves = 12;

    const double KeptWeight = 0.99;
    const double MinLogWeight = -50;

    /// <summary>The leaf a row reaches by the thresholds; 0 for a tree without splits.</summary>
    public static int Leaf<T>(SplitNode[] splits, ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (splits.Length == 0)
            return 0;
        int node = 0;
        while (true)
        {
            var s = splits[node];
            int next = s.Project(row) <= s.Threshold ? s.Left : s.Right;
            if (next < 0)
                return ~next;
            node = next;
        }
    }

    /// <summary>The soft routing of one row: writes the kept leaves and their weights (summing to 1) and returns how
    /// many. <paramref name="logWeights"/> is scratch of one element per leaf. Temperature 0 is hard routing.</summary>
    public static int Soft<T>(SplitNode[] splits, double temperature, ReadOnlySpan<T> row, Span<double> logWeights,
        Span<int> leaves, Span<double> weights) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (splits.Length == 0 || temperature == 0)
        {
            leaves[0] = Leaf(splits, row);
            weights[0] = 1;
            return 1;
        }
        Descend(splits, temperature, row, 0, 0, logWeights);
        double max = double.NegativeInfinity;
        foreach (double v in logWeights)
            max = Math.Max(max, v);
        double total = 0;
        for (int k = 0; k < logWeights.Length; k++)
        {
            logWeights[k] = Math.Exp(logWeights[k] - max);
            total += logWeights[k];
        }
        // The heaviest leaves first until 99 % of the weight (a selection: at most 12 rounds over the leaves).
        int kept = 0;
        double covered = 0;
        while (kept < Math.Min(MaxSoftLeaves, logWeights.Length) && covered < KeptWeight * total)
        {
            int best = -1;
            for (int k = 0; k < logWeights.Length; k++)
                if (logWeights[k] >= 0 && (best < 0 || logWeights[k] > logWeights[best]))
                    best = k;
            leaves[kept] = best;
            weights[kept] = logWeights[best];
            covered += logWeights[best];
            logWeights[best] = -1;
            kept++;
        }
        for (int k = 0; k < kept; k++)
            weights[k] /= covered;
        return kept;
    }

    static void Descend<T>(SplitNode[] splits, double temperature, ReadOnlySpan<T> row, int node, double logWeight, Span<double> logWeights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = splits[node];
        double z = (s.Project(row) - s.Threshold) / (temperature * s.Spread);
        Child(splits, temperature, row, s.Left, Math.Max(MinLogWeight, logWeight + LogSigmoid(-z)), logWeights);
        Child(splits, temperature, row, s.Right, Math.Max(MinLogWeight, logWeight + LogSigmoid(z)), logWeights);
    }

    static void Child<T>(SplitNode[] splits, double temperature, ReadOnlySpan<T> row, int child, double logWeight, Span<double> logWeights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (child < 0)
            logWeights[~child] = logWeight;
        else
            Descend(splits, temperature, row, child, logWeight, logWeights);
    }

    /// <summary>log(1 / (1 + e^-z)) without overflow.</summary>
    static double LogSigmoid(double z) => z >= 0 ? -Math.Log(1 + Math.Exp(-z)) : z - Math.Log(1 + Math.Exp(z));
}
