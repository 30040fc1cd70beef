using System;
using System.Linq;
using ScottPlot;

namespace RfmFast.Cli.Plots;

/// <summary>tree.png (tree models only): what each leaf learned and where the splits cut. A heatmap of the leaves'
/// AGOP importances (one row per leaf, left to right; the features most important on average as columns), each row
/// scaled to its own largest value so that leaves of different scales compare; the title names the features the
/// root split weighs most.</summary>
static class TreeLeavesPlot
{
    public const int MaxFeatures = 30;

    public static Plot Build(PlotSubject s, RfmTree tree)
    {
        int d = s.Model.EncodedFeatures, leaves = tree.Leaves.Count;
        float[] mean = s.Model.FeatureImportances();
        int[] keep = [.. Enumerable.Range(0, d).OrderByDescending(j => mean[j]).Take(MaxFeatures)];
        var data = new double[leaves, keep.Length];
        for (int k = 0; k < leaves; k++)
        {
            var imp = tree.Leaves[k].FeatureImportances;
            double max = keep.Max(j => imp[j]);
            for (int q = 0; q < keep.Length; q++)
                data[k, q] = max > 0 ? imp[keep[q]] / max : 0;
        }
        var plot = ModelPlots.NewPlot();
        var heat = plot.Add.Heatmap(data);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        heat.ManualRange = new ScottPlot.Range(0, 1);
        var bar = plot.Add.ColorBar(heat);
        bar.Label = "diag(M) / the leaf's largest";
        plot.HideGrid();
        string[] names = [.. keep.Select(j => s.FeatureNames[j])];
        CategoryLabels.Bottom(plot, [.. Enumerable.Range(0, keep.Length).Select(q => (double)q)], names, 0.8 * ModelPlots.Width / keep.Length, 11);
        int step = (leaves + 39) / 40;
        int[] labelled = [.. Enumerable.Range(0, leaves).Where(k => k % step == 0)];
        CategoryLabels.Left(plot, [.. labelled.Select(k => (double)(leaves - 1 - k))],
            [.. labelled.Select(k => $"leaf {k} ({tree.Leaves[k].Centers} rows)")], leaves > 20 ? 9 : 11);
        plot.Axes.SetLimits(-0.5, keep.Length - 0.5, -0.5, leaves - 0.5);

        var root = tree.Splits[0].Direction;
        string rootTop = string.Join(", ", Enumerable.Range(0, d).OrderByDescending(j => Math.Abs(root[j])).Take(3)
            .Select(j => $"{CategoryLabels.Shorten(s.FeatureNames[j])} {root[j].ToString("+0.00;-0.00", System.Globalization.CultureInfo.InvariantCulture)}"));
        plot.Title($"A tree of {leaves} RFMs (depth {tree.Depth}{(tree.Temperature > 0 ? ", soft routing" : "")}): each leaf's AGOP importances\n"
            + $"root split direction: {rootTop}");
        return plot;
    }
}
