using System.Linq;
using ScottPlot;

namespace RfmFast.Cli.Plots;

/// <summary>importances.png: diag(M), the weight the learned metric gives each feature, as bars of the top features,
/// largest first, each labelled with its column name.</summary>
static class ImportancesPlot
{
    public const int MaxBars = 30;

    /// <summary>The features shown, in bar order: the largest diag(M) first, ties in column order.</summary>
    public static int[] Order(float[] importances) =>
        [.. Enumerable.Range(0, importances.Length).OrderByDescending(i => importances[i]).Take(MaxBars)];

    public static Plot Build(PlotSubject s, int width)
    {
        float[] imp = s.Model.FeatureImportances();
        int[] order = Order(imp);
        var plot = ModelPlots.NewPlot();
        plot.Add.Bars((Bar[])[.. order.Select((f, k) => new Bar { Position = k, Value = imp[f], FillColor = Colors.SteelBlue, LineWidth = 0 })]);
        plot.YLabel("diag(M)");
        plot.XLabel("feature"); // before the tick labels, which make room for it
        // The data area is the image less the left axis and the margins: about 85 % of the width.
        CategoryLabels.Bottom(plot, [.. order.Select((_, k) => (double)k)], [.. order.Select(f => s.FeatureNames[f])],
            0.85 * width / order.Length, 12);
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(-0.6, order.Length - 0.4);

        string shown = order.Length < imp.Length ? $"top {order.Length} of {imp.Length} features" : $"all {imp.Length} features";
        string title = s.Model.Tree is { } tree
            ? $"AGOP feature importances diag(M), {shown}, mean of {tree.Leaves.Count} leaves weighted by their rows"
            : $"AGOP feature importances diag(M), {shown}, iteration {s.Model.BestIteration}";
        if (s.Model.BestIteration == 0)
            title += "\n(the plain kernel was chosen: M = I, every feature weighs the same)";
        plot.Title(title);
        return plot;
    }
}
