namespace RfmFast;

/// <summary>One split of a tree model, in the encoded (preprocessed) feature space: a row goes left when its
/// projection on <see cref="Direction"/> is at most <see cref="Threshold"/>.</summary>
/// <param name="Direction">The unit direction, length d (encoded features).</param>
/// <param name="Threshold">The median projection of the node's training rows.</param>
/// <param name="Spread">The interquartile range of those projections (at least 1e-6): soft routing's scale.</param>
/// <param name="Left">The left child: a node index, or ~leaf for a leaf.</param>
/// <param name="Right">The right child: a node index, or ~leaf for a leaf.</param>
internal sealed record SplitNode(double[] Direction, double Threshold, double Spread, int Left, int Right)
{
    /// <summary>The projection of a row on the direction, in double whatever the row's precision.</summary>
    public double Project<T>(System.ReadOnlySpan<T> row) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Dot(Direction, row);

    /// <summary>The projection the fit and the routing both use (one summation order, so a training row's side is
    /// reproduced exactly).</summary>
    public static double Dot<T>(double[] direction, System.ReadOnlySpan<T> row) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        double s = 0;
        for (int j = 0; j < direction.Length; j++)
            s += direction[j] * double.CreateTruncating(row[j]);
        return s;
    }
}
