namespace RfmFast.Tabular;

/// <summary>What one side did on one set: test accuracy (0..1), fit and predict seconds, or why it did not run.</summary>
internal sealed record SideResult(double Accuracy, double FitSeconds, double PredictSeconds, string? Note = null)
{
    /// <summary>Whether the side ran and has an accuracy.</summary>
    public bool Ran => double.IsFinite(Accuracy);

    /// <summary>A side that did not run, with the reason shown in the table.</summary>
    public static SideResult Missing(string why) => new(double.NaN, double.NaN, double.NaN, why);
}
