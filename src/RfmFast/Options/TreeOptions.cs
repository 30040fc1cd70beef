using System;

namespace RfmFast;

/// <summary>The settings of the tree of RFMs (xRFM) a fit on many rows builds: split a node's rows in two balanced
/// halves along a learned direction until each leaf has at most <see cref="MaxLeafSize"/> rows, fit one RFM per
/// leaf (with every other setting of <see cref="RfmOptions"/>), and route each row to its leaf. A fit then holds one
/// leaf's kernel matrix at a time instead of one n x n matrix.</summary>
public sealed record TreeOptions
{
    /// <summary>The default <see cref="MaxLeafSize"/>, measured on a 2-core Zen 3 (bench/results/amd-epyc-zen3-2c/tree-leaf-size.md):
    /// within 0.2 points of one RFM over every row on magic, letter and adult at a third to a fifth of the time, where
    /// leaves of 4096 lose 0.4 to 0.8 points. A leaf's kernel matrix is then at most 256 MiB in float.</summary>
    public const int DefaultMaxLeafSize = 8192;

    /// <summary>When to build a tree (default: when the data has more than <see cref="MaxLeafSize"/> rows).</summary>
    public TreeMode Mode { get; init; } = TreeMode.Auto;

    /// <summary>The most rows a leaf may hold; a node with more is split. At least 2.</summary>
    public int MaxLeafSize { get; init; } = DefaultMaxLeafSize;

    /// <summary>How a node chooses its split direction.</summary>
    public SplitRule SplitRule { get; init; } = SplitRule.Agop;

    /// <summary>The rows (a seeded subset of the node's) the split's RFM (or PCA) is fitted on. At least 10.</summary>
    public int SplitSampleSize { get; init; } = 2000;

    /// <summary>The AGOP iterations of the split's RFM (its direction is the top eigenvector of the AGOP of the best
    /// of them, so 0 still learns a direction: the plain kernel's AGOP).</summary>
    public int SplitIterations { get; init; } = 1;

    /// <summary>How predictions are routed to the leaves.</summary>
    public TreeRouting Routing { get; init; } = TreeRouting.Hard;

    /// <summary>For soft routing, the gates' temperature (positive: a split's sigmoid is exp-scaled by temperature
    /// times the spread of its projections); NaN (the default) chooses it on the validation data, among 0 (hard
    /// routing) and 20 values from 0.025 to 4.5.</summary>
    public double Temperature { get; init; } = double.NaN;

    /// <summary>Checks every setting; throws <see cref="ArgumentOutOfRangeException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown tree mode.");
        if (!Enum.IsDefined(SplitRule))
            throw new ArgumentOutOfRangeException(nameof(SplitRule), SplitRule, "Unknown split rule.");
        if (!Enum.IsDefined(Routing))
            throw new ArgumentOutOfRangeException(nameof(Routing), Routing, "Unknown routing.");
        if (MaxLeafSize < 2)
            throw new ArgumentOutOfRangeException(nameof(MaxLeafSize), MaxLeafSize, "A leaf must be allowed at least 2 rows.");
        if (SplitSampleSize < 10)
            throw new ArgumentOutOfRangeException(nameof(SplitSampleSize), SplitSampleSize, "The split sample needs at least 10 rows.");
        if (SplitIterations < 0 || SplitIterations > 100)
            throw new ArgumentOutOfRangeException(nameof(SplitIterations), SplitIterations, "Use 0 to 100 split iterations.");
        if (!(double.IsNaN(Temperature) || (Temperature >= 0 && double.IsFinite(Temperature))))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "The temperature must be NaN (choose), 0 (hard) or positive and finite.");
    }
}
