using System.IO;
using System.Linq;
using ScottPlot;

namespace RfmFast.Cli.Plots;

/// <summary>
/// The three pictures of <c>rfm plot</c>: the AGOP feature importances (diagonal of M) as a bar chart of the top
/// features by name, M as a heatmap with a colour bar, and the per-iteration validation curve with the chosen
/// iteration marked. Text needs a font file: ScottPlot's SkiaSharp asset here has no fontconfig, so a DejaVu Sans
/// file is registered when one is found (Debian: fonts-dejavu-core).
/// </summary>
static class ModelPlots
{
    public const int Width = 1000, Height = 600;
    const int MaxBars = 30, MaxHeat = 100;

    static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ];

    /// <summary>Writes importances.png, metric.png and validation.png into <paramref name="dir"/>; returns the paths.</summary>
    public static string[] Write(RfmModel model, string dir, bool classification)
    {
        Directory.CreateDirectory(dir);
        string? font = RegisterFont();
        string[] names = model.FeatureNames.Count == model.Features
            ? [.. model.FeatureNames]
            : [.. Enumerable.Range(0, model.Features).Select(i => $"x{i}")];
        var paths = new[] { Path.Combine(dir, "importances.png"), Path.Combine(dir, "metric.png"), Path.Combine(dir, "validation.png") };
        Importances(model, names, font).SavePng(paths[0], Width, Height);
        Metric(model, names, font).SavePng(paths[1], Width, Height + 200);
        Validation(model, classification, font).SavePng(paths[2], Width, Height);
        return paths;
    }

    static string? RegisterFont()
    {
        string? file = FontFiles.FirstOrDefault(File.Exists);
        if (file is null)
            return null;
        Fonts.AddFontFile("DejaVu Sans", file);
        return "DejaVu Sans";
    }

    static Plot NewPlot(string? font)
    {
        var plot = new Plot();
        if (font is not null)
            plot.Font.Set(font);
        return plot;
    }

    static Plot Importances(RfmModel model, string[] names, string? font)
    {
        float[] imp = model.FeatureImportances();
        int[] order = [.. Enumerable.Range(0, imp.Length).OrderByDescending(i => imp[i]).Take(MaxBars)];
        var plot = NewPlot(font);
        var bars = order.Select((f, k) => new Bar { Position = k, Value = imp[f], FillColor = Colors.SteelBlue }).ToList();
        plot.Add.Bars(bars);
        var ticks = order.Select((f, k) => new Tick(k, names[f])).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 140;
        plot.Axes.Margins(bottom: 0);
        string shown = order.Length < imp.Length ? $"top {order.Length} of {imp.Length} features" : $"all {imp.Length} features";
        plot.Title($"AGOP feature importances, diag(M) ({shown})");
        plot.YLabel("diag(M)");
        return plot;
    }

    static Plot Metric(RfmModel model, string[] names, string? font)
    {
        float[,] m = model.FeatureMatrix();
        int d = model.Features;
        float[] imp = model.FeatureImportances();
        int[] keep = d > MaxHeat ? [.. Enumerable.Range(0, d).OrderByDescending(i => imp[i]).Take(MaxHeat)] : [.. Enumerable.Range(0, d)];
        int k = keep.Length;
        var data = new double[k, k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                data[i, j] = m[keep[i], keep[j]];
        var plot = NewPlot(font);
        var heat = plot.Add.Heatmap(data);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heat);
        if (k <= 40)
        {
            var x = keep.Select((f, i) => new Tick(i, names[f])).ToArray();
            var y = keep.Select((f, i) => new Tick(k - 1 - i, names[f])).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(x);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(y);
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 120;
        }
        plot.Title(d > MaxHeat ? $"Feature matrix M (top {MaxHeat} of {d} features by importance)" : $"Feature matrix M ({d} x {d})");
        return plot;
    }

    static Plot Validation(RfmModel model, bool classification, string? font)
    {
        var h = model.History.Where(e => !double.IsNaN(e.ValidationScore)).ToList();
        var plot = NewPlot(font);
        string what = classification ? "validation accuracy" : "validation MSE (standardised target)";
        if (h.Count == 0)
        {
            plot.Title("No validation scores (fitted without validation data)");
            return plot;
        }
        double[] xs = [.. h.Select(e => (double)e.Iteration)];
        double[] ys = [.. h.Select(e => e.ValidationScore)];
        var line = plot.Add.Scatter(xs, ys);
        line.LineWidth = 2;
        line.MarkerSize = 8;
        line.LegendText = what;
        var best = h.FirstOrDefault(e => e.Iteration == model.BestIteration);
        if (best.Iteration == model.BestIteration && !double.IsNaN(best.ValidationScore))
        {
            var mark = plot.Add.Marker(best.Iteration, best.ValidationScore);
            mark.MarkerStyle.Shape = MarkerShape.OpenCircle;
            mark.MarkerStyle.Size = 22;
            mark.MarkerStyle.LineWidth = 3;
            mark.Color = Colors.OrangeRed;
            mark.LegendText = $"chosen: iteration {model.BestIteration}";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. h.Select(e => new Tick(e.Iteration, e.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Validation score per RFM iteration (0 = plain kernel)");
        plot.XLabel("iteration");
        plot.YLabel(what);
        return plot;
    }
}
