using System;
using System.IO;
using RfmFast.Cli.Plots;

namespace RfmFast.Cli;

/// <summary><c>rfm plot MODEL --out DIR</c>: writes importances.png, metric.png and validation.png for a saved model
/// (<see cref="ModelPlots"/>) and prints their paths.</summary>
static class PlotCommand
{
    public static int Run(string modelPath, string outDir, TextWriter o, TextWriter err)
    {
        RfmModel model = ModelFileArgument.Load(modelPath);
        if (PlotFont.Family is null)
            err.WriteLine($"rfm: warning: no font file under {PlotFont.SystemFontDir}, the pictures will have no text (Debian: apt-get install fonts-dejavu-core)");

        string[] paths;
        try
        {
            paths = ModelPlots.Write(Subject(model), outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{outDir}: cannot write the pictures there: {e.Message}", e);
        }
        foreach (string p in paths)
            o.WriteLine($"wrote {p}");
        return 0;
    }

    /// <summary>What the plots show of a model: its task, names and, for a regression model fitted on a
    /// standardised target, the scale that puts validation errors back in the target's units.</summary>
    public static PlotSubject Subject(RfmModel model)
    {
        bool classification = model is RfmClassifierModel;
        bool ownUnits = model is RfmRegressionModel { TargetScales.Count: > 0 };
        double scale = ownUnits ? Math.Pow(((RfmRegressionModel)model).TargetScales[0], 2) : 1;
        return new PlotSubject(model, PlotSubject.NamesOf(model), classification, model.TargetName, scale, ownUnits);
    }
}
