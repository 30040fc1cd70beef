using System.IO;

namespace RfmFast.Cli;

/// <summary><c>rfm plot MODEL --out DIR</c>: the pictures of <see cref="Plots.ModelPlots"/> for a saved model.</summary>
static class PlotCommand
{
    public static int Run(string modelPath, string outDir, TextWriter o)
    {
        if (!File.Exists(modelPath))
            throw new CliException($"{modelPath}: no such model file");
        RfmModel model;
        try
        {
            model = RfmModel.Load(modelPath);
        }
        catch (RfmModelFormatException e)
        {
            throw new CliException($"{modelPath}: not a usable model file: {e.Message}");
        }
        foreach (string p in Plots.ModelPlots.Write(model, outDir, model is RfmClassifierModel))
            o.WriteLine($"wrote {p}");
        return 0;
    }
}
