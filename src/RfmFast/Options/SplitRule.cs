namespace RfmFast;

/// <summary>How a tree node chooses the direction it splits its rows along (at the median projection).</summary>
public enum SplitRule
{
    /// <summary>The top eigenvector of the AGOP of an RFM fitted on a seeded subset of the node's rows: the
    /// direction the target varies most along (xRFM's default).</summary>
    Agop,

    /// <summary>The top principal component of a seeded subset of the node's rows (ignores the target).</summary>
    Pca,

    /// <summary>A seeded random unit direction (a baseline).</summary>
    Random,
}
