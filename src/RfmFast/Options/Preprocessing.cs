namespace RfmFast;

/// <summary>
/// What a fit does to the data before the kernel sees it. The fitted model keeps what it learned (the
/// training columns' means and scales, the target's) and repeats it on every prediction, so a saved
/// model predicts from raw rows.
/// </summary>
/// <remarks>Order: the columns are standardised, then each row scaled to unit L2 norm. Regression targets are standardised with the training targets' mean and
/// standard deviation and predictions are mapped back to the target's units.</remarks>
public sealed record Preprocessing
{
    /// <summary>Nothing: the kernel sees the rows as given (the RFM paper's setting).</summary>
    public static Preprocessing None { get; } = new();

    /// <summary>Features and regression targets standardised (the rfm tool's default).</summary>
    public static Preprocessing Standardize { get; } = new() { StandardizeFeatures = true, StandardizeTarget = true };

    /// <summary>Subtract each numeric feature's training mean and divide by its standard deviation (n - 1); a
    /// constant column is only centred.</summary>
    public bool StandardizeFeatures { get; init; }

    /// <summary>Regression only: fit on standardised targets, predict in the target's units.</summary>
    public bool StandardizeTarget { get; init; }

    /// <summary>Scale each row to unit L2 norm (after standardisation; a zero row stays zero), as the RFM
    /// paper's UCI protocol does for most datasets.</summary>
    public bool NormalizeRows { get; init; }
}
