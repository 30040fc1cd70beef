using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace RfmFast;

/// <summary>The structure of a tree model (xRFM): its splits and its leaves, each leaf an RFM fitted on the rows that
/// reached it. Directions and importances are in the encoded (preprocessed) feature space.</summary>
public sealed class RfmTree
{
    internal RfmTree(IReadOnlyList<RfmTreeSplit> splits, IReadOnlyList<RfmLeaf> leaves, double temperature)
    {
        Splits = splits;
        Leaves = leaves;
        Temperature = temperature;
    }

    /// <summary>The splits, the root first, numbered depth first; there is one fewer than <see cref="Leaves"/>.</summary>
    public IReadOnlyList<RfmTreeSplit> Splits { get; }

    /// <summary>The leaves, left to right.</summary>
    public IReadOnlyList<RfmLeaf> Leaves { get; }

    /// <summary>The soft-routing temperature; 0 when rows are routed hard, to one leaf.</summary>
    public double Temperature { get; }

    /// <summary>The depth of the deepest leaf (1 for a root with two leaves).</summary>
    public int Depth => Splits.Count == 0 ? 0 : DepthOf(0);

    int DepthOf(int child) => child < 0 ? 0 : 1 + Math.Max(DepthOf(Splits[child].Left), DepthOf(Splits[child].Right));
}

/// <summary>One split: a row goes to <see cref="Left"/> when its projection on <see cref="Direction"/> is at most
/// <see cref="Threshold"/>, else to <see cref="Right"/>.</summary>
/// <param name="Direction">The unit split direction, one weight per encoded feature.</param>
/// <param name="Threshold">The median projection of the node's training rows.</param>
/// <param name="Spread">The interquartile range of those projections (soft routing's scale).</param>
/// <param name="Left">The left child: a split's index, or the bitwise complement (~k) of leaf k.</param>
/// <param name="Right">The right child: a split's index, or the bitwise complement (~k) of leaf k.</param>
public sealed record RfmTreeSplit(ReadOnlyCollection<double> Direction, double Threshold, double Spread, int Left, int Right);

/// <summary>One leaf of a tree model: an RFM fitted on the training rows that reached it.</summary>
/// <param name="Centers">Its training rows (the kernel's centers).</param>
/// <param name="BestIteration">The iteration whose M it uses.</param>
/// <param name="History">What each of its iterations did.</param>
/// <param name="Bandwidth">Its bandwidth (after the adaptive rule, if any).</param>
/// <param name="FeatureImportances">The diagonal of its M, one value per encoded feature.</param>
public sealed record RfmLeaf(int Centers, int BestIteration, IReadOnlyList<RfmIteration> History, double Bandwidth,
    ReadOnlyCollection<double> FeatureImportances);
