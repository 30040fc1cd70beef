using System.IO;
using ScottPlot;

namespace RfmFast.Cli.Plots;

/// <summary>The pictures of <c>rfm plot</c> (a fourth, <see cref="TreeLeavesPlot"/>, for a tree model) and their sizes: <see cref="ImportancesPlot"/>,
/// <see cref="MetricHeatmap"/> (taller: a square matrix with labels on two sides) and <see cref="ValidationPlot"/>.</summary>
static class ModelPlots
{
    public const int Width = 1000, Height = 600, HeatmapHeight = 850;

    public const string Importances = "importances.png", Metric = "metric.png", Validation = "validation.png", Tree = "tree.png";

    /// <summary>Writes the three PNGs into <paramref name="dir"/> (created if missing) and returns their paths.</summary>
    public static string[] Write(PlotSubject s, string dir)
    {
        Directory.CreateDirectory(dir);
        string[] paths = [Path.Combine(dir, Importances), Path.Combine(dir, Metric), Path.Combine(dir, Validation)];
        ImportancesPlot.Build(s, Width).SavePng(paths[0], Width, Height);
        MetricHeatmap.Build(s, HeatmapHeight).SavePng(paths[1], Width, HeatmapHeight);
        ValidationPlot.Build(s).SavePng(paths[2], Width, Height);
        if (s.Model.Tree is { } tree)
        {
            string p = Path.Combine(dir, Tree);
            TreeLeavesPlot.Build(s, tree).SavePng(p, Width, HeatmapHeight);
            paths = [.. paths, p];
        }
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
