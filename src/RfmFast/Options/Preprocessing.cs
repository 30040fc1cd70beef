using System;
using System.Collections.Generic;
using System.Linq;

namespace RfmFast;

/// <summary>
/// What a fit does to the data before the kernel sees it. The fitted model keeps what it learned (the
/// training columns' means and scales, the target's) and repeats it on every prediction, so a saved
/// model predicts from raw rows.
/// </summary>
/// <remarks>Order: categorical columns are one-hot encoded (in place: column j's k categories become k columns
/// where column j was) and the numeric columns standardised, then each row scaled to unit L2 norm. Regression targets are standardised with the training targets' mean and
/// standard deviation and predictions are mapped back to the target's units.</remarks>
public sealed record Preprocessing
{
    /// <summary>Checks the settings against the number of input columns.</summary>
    /// <exception cref="ArgumentException">A categorical index outside 0..d-1 or repeated, or category names for a
    /// column that is not categorical, or names that are null or repeated.</exception>
    internal void Validate(int features)
    {
        ArgumentNullException.ThrowIfNull(CategoricalFeatures, nameof(CategoricalFeatures));
        ArgumentNullException.ThrowIfNull(CategoryNames, nameof(CategoryNames));
        var seen = new HashSet<int>();
        foreach (int j in CategoricalFeatures)
            if (j < 0 || j >= features || !seen.Add(j))
                throw new ArgumentException($"Categorical feature index {j}: indices must be distinct and in 0..{features - 1}.", nameof(CategoricalFeatures));
        foreach (var (j, names) in CategoryNames)
        {
            if (!seen.Contains(j))
                throw new ArgumentException($"Column {j} has category names but is not in CategoricalFeatures.", nameof(CategoryNames));
            if (names is null || names.Any(n => n is null) || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
                throw new ArgumentException($"The category names of column {j} must be distinct and not null.", nameof(CategoryNames));
        }
    }

    /// <summary>Nothing: the kernel sees the rows as given (the RFM paper's setting).</summary>
    public static Preprocessing None { get; } = new();

    /// <summary>Features and regression targets standardised (the rfm tool's default).</summary>
    public static Preprocessing Standardize { get; } = new() { StandardizeFeatures = true, StandardizeTarget = true };

    /// <summary>Subtract each numeric feature's training mean and divide by its standard deviation (n - 1); a
    /// constant column is only centred.</summary>
    public bool StandardizeFeatures { get; init; }

    /// <summary>Regression only: fit on standardised targets, predict in the target's units.</summary>
    public bool StandardizeTarget { get; init; }

    /// <summary>Indices of the input columns that hold categories, given as codes (any finite numbers; each
    /// distinct training value is one category), to be one-hot encoded. A value not seen in training encodes as
    /// all zeros: the row is then at the same distance from every category of that column.</summary>
    public IReadOnlyList<int> CategoricalFeatures { get; init; } = [];

    /// <summary>Optional names of categories, by column: for column j, code c (0, 1, ...) is the category named
    /// CategoryNames[j][c]. The model keeps them, so that a caller holding names (the rfm tool reading a CSV) can
    /// turn them into codes at prediction time (<see cref="RfmModel.CategoryCode"/>). Every key must be a
    /// categorical column.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<string>> CategoryNames { get; init; } = new Dictionary<int, IReadOnlyList<string>>();

    /// <summary>Scale each row to unit L2 norm (after standardisation; a zero row stays zero), as the RFM
    /// paper's UCI protocol does for most datasets.</summary>
    public bool NormalizeRows { get; init; }

    /// <summary>Equal settings: the same switches, categorical columns and category names (compared by value).</summary>
    /// <param name="other">The other settings.</param>
    public bool Equals(Preprocessing? other) =>
        other is not null && StandardizeFeatures == other.StandardizeFeatures && StandardizeTarget == other.StandardizeTarget
        && NormalizeRows == other.NormalizeRows && CategoricalFeatures.SequenceEqual(other.CategoricalFeatures)
        && CategoryNames.Count == other.CategoryNames.Count
        && CategoryNames.All(kv => other.CategoryNames.TryGetValue(kv.Key, out var o) && kv.Value.SequenceEqual(o, StringComparer.Ordinal));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StandardizeFeatures, StandardizeTarget, NormalizeRows, CategoricalFeatures.Count, CategoryNames.Count);
}
