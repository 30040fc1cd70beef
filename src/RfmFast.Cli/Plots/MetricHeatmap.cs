using System;
using System.Linq;
using ScottPlot;

namespace RfmFast.Cli.Plots;

/// <summary>metric.png: the learned feature matrix M as a heatmap with a colour bar. M is symmetric positive
/// semi-definite with signed off-diagonal entries, so the colours diverge from white at zero (blue negative, red
/// positive) on a range symmetric about zero: a sequential map would hide which couplings are negative.</summary>
static class MetricHeatmap
{
    public const int MaxFeatures = 100;

    /// <summary>Names are printed on at most this many rows and columns; beyond, on every second, third, ... one.</summary>
    const int MaxLabels = 50;

    /// <summary>The features shown: all in column order, or the top <see cref="MaxFeatures"/> by diag(M) largest first.</summary>
    public static int[] Shown(float[] importances) => importances.Length <= MaxFeatures
        ? [.. Enumerable.Range(0, importances.Length)]
        : [.. Enumerable.Range(0, importances.Length).OrderByDescending(i => importances[i]).Take(MaxFeatures)];

    public static Plot Build(PlotSubject s, int height)
    {
        float[,] m = s.Model.FeatureMatrix();
        int d = s.Model.Features;
        int[] keep = Shown(s.Model.FeatureImportances());
        int k = keep.Length;
        var data = new double[k, k];
        double extent = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                data[i, j] = m[keep[i], keep[j]];
                extent = Math.Max(extent, Math.Abs(data[i, j]));
            }
        if (!(extent > 0))
            extent = 1; // An all-zero M still gets a colour bar with a range.

        var plot = ModelPlots.NewPlot();
        var heat = plot.Add.Heatmap(data);
        heat.Colormap = new ScottPlot.Colormaps.Balance();
        heat.ManualRange = new ScottPlot.Range(-extent, extent);
        var bar = plot.Add.ColorBar(heat);
        bar.Label = "M entry";
        plot.HideGrid();

        // Row 0 of the data is drawn at the top (cell centres at y = k-1 ... 0), so that M reads like a printed matrix.
        int step = (k + MaxLabels - 1) / MaxLabels;
        int[] labelled = [.. Enumerable.Range(0, k).Where(i => i % step == 0)];
        string[] names = [.. labelled.Select(i => s.FeatureNames[keep[i]])];
        float font = k > 30 ? 10 : 12;
        // The heatmap is square and about as tall as the image less the title and the bottom labels.
        double cell = 0.6 * height / k;
        CategoryLabels.Bottom(plot, [.. labelled.Select(i => (double)i)], names, cell * step, font);
        CategoryLabels.Left(plot, [.. labelled.Select(i => (double)(k - 1 - i))], names, font);
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Axes.SquareUnits();

        string which = d > MaxFeatures ? $"top {MaxFeatures} of {d} features by importance, largest first" : $"{d} x {d}";
        string title = s.Model.Tree is { } tree
            ? $"Feature matrix M ({which}), mean of {tree.Leaves.Count} leaves weighted by their rows"
            : $"Feature matrix M ({which}), iteration {s.Model.BestIteration}";
        if (step > 1)
            title += $"\nevery {Ordinal(step)} feature named";
        if (s.Model.BestIteration == 0)
            title += (step > 1 ? "; " : "\n") + "the plain kernel was chosen: M = I";
        plot.Title(title);
        return plot;
    }

    static string Ordinal(int n) => n switch { 2 => "second", 3 => "third", _ => $"{n}th" };
}
