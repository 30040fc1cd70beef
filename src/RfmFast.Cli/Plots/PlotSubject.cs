using System.Collections.Generic;

namespace RfmFast.Cli.Plots;

/// <summary>What the pictures show: a fitted model and what the plot needs to say about it beyond the model itself.</summary>
/// <param name="Model">The fitted model.</param>
/// <param name="FeatureNames">One name per feature, in the model's column order.</param>
/// <param name="Classification">Whether the validation score is an accuracy (else an MSE).</param>
/// <param name="Target">The target column's name, or null.</param>
/// <param name="TargetScale">What a validation MSE is multiplied by to be in the target's units: rfm fit fits a
/// regressor on the standardised target, so this is its variance there; 1 for a model saved by other code.</param>
/// <param name="TargetInOwnUnits">Whether <paramref name="TargetScale"/> puts the MSE in the target's own units.</param>
sealed record PlotSubject(RfmModel Model, IReadOnlyList<string> FeatureNames, bool Classification, string? Target,
    double TargetScale, bool TargetInOwnUnits)
{
    /// <summary>One name per column of M (the model's encoded columns: "name=category" for a category of a
    /// categorical column), from the saved column names or x0, x1, ... when it has none.</summary>
    public static IReadOnlyList<string> NamesOf(RfmModel model) => model.EncodedFeatureNames;
}
