namespace RfmFast;

/// <summary>When a fit partitions the data into a tree of RFMs (xRFM) instead of fitting one RFM.</summary>
public enum TreeMode
{
    /// <summary>A tree when the training data has more rows than <see cref="TreeOptions.MaxLeafSize"/>, else one RFM.</summary>
    Auto,

    /// <summary>Always a tree (a single leaf when the data fits in one).</summary>
    Always,

    /// <summary>Never a tree: one RFM over every row, whatever its size (one n x n kernel matrix).</summary>
    Never,
}
