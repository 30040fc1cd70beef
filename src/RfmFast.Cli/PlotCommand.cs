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
            paths = ModelPlots.Write(Subject(model, modelPath), outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{outDir}: cannot write the pictures there: {e.Message}", e);
        }
        foreach (string p in paths)
            o.WriteLine($"wrote {p}");
        return 0;
    }

    /// <summary>A model saved by <c>rfm fit --out</c> has the task and the target's standardisation in its metadata;
    /// one saved by other code is plotted from what the model itself says (its type, its names if any).</summary>
    public static PlotSubject Subject(RfmModel model, string path)
    {
        bool classification = model is RfmClassifierModel;
        CliModelMetadata? meta;
        try
        {
            meta = CliModelMetadata.From(model, path);
        }
        catch (CliException)
        {
            meta = null;
        }
        bool ownUnits = meta is { Task: TaskKind.Regression };
        double scale = ownUnits ? meta!.TargetSd * meta.TargetSd : 1;
        return new PlotSubject(model, PlotSubject.NamesOf(model), classification, model.TargetName, scale, ownUnits);
    }
}
