using System.Globalization;
using System.Linq;
using ScottPlot;

namespace RfmFast.Cli.Plots;

/// <summary>validation.png: the validation score of every RFM iteration (0 = the plain kernel), the iteration the
/// model kept circled. Accuracy for a classifier, MSE for a regressor.</summary>
static class ValidationPlot
{
    /// <summary>The y axis label: what the score is, and in which units.</summary>
    public static string Measure(PlotSubject s) =>
        s.Classification ? "validation accuracy (higher is better)"
        : s.TargetInOwnUnits && s.Target is not null ? $"validation MSE of '{s.Target}' (lower is better)"
        : "validation MSE of the fitted target (lower is better)";

    public static Plot Build(PlotSubject s)
    {
        var model = s.Model;
        if (model.Tree is { } tree)
            return TreeCurves(s, tree);
        var scored = model.History.Where(e => !double.IsNaN(e.ValidationScore)).ToList();
        var plot = ModelPlots.NewPlot();
        if (scored.Count == 0)
        {
            // Without validation data there is no curve: say so on the picture instead of drawing empty axes.
            plot.Title("Validation score per RFM iteration");
            var text = plot.Add.Text($"No validation scores: the model was fitted without validation data\nand keeps its last iteration ({model.BestIteration}).", 0, 0);
            text.LabelFontSize = 18;
            text.LabelAlignment = Alignment.MiddleCenter;
            plot.Axes.SetLimits(-1, 1, -1, 1);
            plot.HideAxesAndGrid();
            plot.Axes.Title.IsVisible = true; // HideAxesAndGrid hides the title too
            return plot;
        }
        double scale = s.Classification ? 1 : s.TargetScale;
        double[] xs = [.. scored.Select(e => (double)e.Iteration)];
        double[] ys = [.. scored.Select(e => e.ValidationScore * scale)];
        var line = plot.Add.Scatter(xs, ys);
        line.LineWidth = 2;
        line.MarkerSize = 8;
        line.LegendText = s.Classification ? "validation accuracy" : "validation MSE";

        int bestAt = scored.FindIndex(e => e.Iteration == model.BestIteration);
        if (bestAt >= 0)
        {
            var mark = plot.Add.Marker(xs[bestAt], ys[bestAt]);
            mark.MarkerStyle.Shape = MarkerShape.OpenCircle;
            mark.MarkerStyle.Size = 22;
            mark.MarkerStyle.LineWidth = 3;
            mark.Color = Colors.OrangeRed;
            mark.LegendText = $"kept: iteration {model.BestIteration} ({ys[bestAt].ToString("G4", CultureInfo.InvariantCulture)})";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. scored.Select(e => new Tick(e.Iteration, e.Iteration.ToString(CultureInfo.InvariantCulture)))]);
        // Below the data area, so the legend never hides a point of the curve.
        plot.ShowLegend(Edge.Bottom);
        plot.Axes.Margins(horizontal: 0.05, vertical: 0.15);
        plot.Title("Validation score per RFM iteration (0 = the plain kernel)");
        plot.XLabel("iteration");
        plot.YLabel(Measure(s));
        return plot;
    }

    /// <summary>A tree: one curve per leaf (each leaf chose its own iteration on its own validation rows), the kept
    /// iterations marked.</summary>
    static Plot TreeCurves(PlotSubject s, RfmTree tree)
    {
        var plot = ModelPlots.NewPlot();
        double scale = s.Classification ? 1 : s.TargetScale;
        var kept = new System.Collections.Generic.List<Coordinates>();
        int maxIteration = 0;
        foreach (var leaf in tree.Leaves)
        {
            var scored = leaf.History.Where(e => !double.IsNaN(e.ValidationScore)).ToList();
            if (scored.Count == 0)
                continue;
            var line = plot.Add.Scatter(scored.Select(e => (double)e.Iteration).ToArray(), scored.Select(e => e.ValidationScore * scale).ToArray());
            line.LineWidth = 1;
            line.MarkerSize = 4;
            line.Color = Colors.SteelBlue.WithAlpha(tree.Leaves.Count > 16 ? 0.35 : 0.7);
            maxIteration = System.Math.Max(maxIteration, scored.Max(e => e.Iteration));
            if (scored.FirstOrDefault(e => e.Iteration == leaf.BestIteration) is { Iteration: var it } best && it == leaf.BestIteration)
                kept.Add(new Coordinates(it, best.ValidationScore * scale));
        }
        if (kept.Count > 0)
        {
            var marks = plot.Add.Markers(kept.ToArray(), MarkerShape.OpenCircle, 12, Colors.OrangeRed);
            marks.LegendText = "the iteration each leaf kept";
            plot.ShowLegend(Edge.Bottom);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, maxIteration + 1).Select(i => new Tick(i, i.ToString(CultureInfo.InvariantCulture)))]);
        plot.Axes.Margins(horizontal: 0.05, vertical: 0.15);
        plot.Title($"Validation score per RFM iteration, each of the {tree.Leaves.Count} leaves of the tree (depth {tree.Depth})");
        plot.XLabel("iteration");
        plot.YLabel(Measure(s));
        return plot;
    }
}
