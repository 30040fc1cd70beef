using System.IO;
using ScottPlot;

namespace RfmFast.Cli.Plots;

/// <summary>The three pictures of <c>rfm plot</c> and their sizes: <see cref="ImportancesPlot"/>,
/// <see cref="MetricHeatmap"/> (taller: a square matrix with labels on two sides) and <see cref="ValidationPlot"/>.</summary>
static class ModelPlots
{
    public const int Width = 1000, Height = 600, HeatmapHeight = 850;

    public const string Importances = "importances.png", Metric = "metric.png", Validation = "validation.png";

    /// <summary>Writes the three PNGs into <paramref name="dir"/> (created if missing) and returns their paths.</summary>
    public static string[] Write(PlotSubject s, string dir)
    {
        Directory.CreateDirectory(dir);
        string[] paths = [Path.Combine(dir, Importances), Path.Combine(dir, Metric), Path.Combine(dir, Validation)];
        ImportancesPlot.Build(s, Width).SavePng(paths[0], Width, Height);
        MetricHeatmap.Build(s, HeatmapHeight).SavePng(paths[1], Width, HeatmapHeight);
        ValidationPlot.Build(s).SavePng(paths[2], Width, Height);
        return paths;
    }

    /// <summary>A plot that draws its text in <see cref="PlotFont"/>'s font when there is one.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        if (PlotFont.Family is { } family)
            plot.Font.Set(family);
        return plot;
    }
}
