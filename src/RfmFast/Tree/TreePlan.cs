namespace RfmFast;

/// <summary>A tree's structure before its leaves are fitted: the splits and, per leaf, the training rows (and the
/// caller's validation rows) routed to it, as ascending row indices. Each leaf is then an independent RFM fit.</summary>
/// <param name="Splits">The splits, root first, numbered depth first.</param>
/// <param name="LeafRows">Per leaf, left to right, its training rows.</param>
/// <param name="LeafValidationRows">Per leaf, the validation rows routed to it by the thresholds (empty without
/// validation data).</param>
internal sealed record TreePlan(SplitNode[] Splits, int[][] LeafRows, int[][] LeafValidationRows)
{
    /// <summary>The number of leaves balanced halving gives n rows with leaves of at most <paramref name="maxLeaf"/>.</summary>
    public static int LeafCount(int n, int maxLeaf) => n <= maxLeaf ? 1 : LeafCount((n + 1) / 2, maxLeaf) + LeafCount(n / 2, maxLeaf);
}
