using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using RfmFast.Cli.Plots;
using SkiaSharp;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary><c>rfm plot</c>: three PNGs of the expected size with bars, a heatmap, a curve and text on them; the
/// titles, labels and feature choices behind them; one-line errors.</summary>
public sealed class PlotTests
{
    static readonly (string Name, int Height)[] Pictures =
        [(ModelPlots.Importances, ModelPlots.Height), (ModelPlots.Metric, ModelPlots.HeatmapHeight), (ModelPlots.Validation, ModelPlots.Height)];

    static string Fit(TempDir dir, string csv, string target, params string[] more)
    {
        string model = Path.Combine(dir.Path, "m.rfm");
        var r = CliRunner.Run([.. new[] { "fit", csv, "--target", target, "--out", model }, .. more]);
        Assert.True(r.ExitCode == 0, r.Err);
        return model;
    }

    /// <summary>Runs rfm plot and checks what every picture must have: the paths printed, PNG header and size,
    /// and text in the title band (no text means the font was not found).</summary>
    static PngFile[] Plot(string model, string outDir)
    {
        var r = CliRunner.Run("plot", model, "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("", r.Err);
        return [.. Pictures.Select(p =>
        {
            string path = Path.Combine(outDir, p.Name);
            Assert.Contains($"wrote {path}\n", r.Out, StringComparison.Ordinal);
            var png = new PngFile(path);
            Assert.Equal((ModelPlots.Width, p.Height), (png.Width, png.Height));
            Assert.True(png.DarkPixels(0, 40) > 150, $"{p.Name}: no title text ({png.DarkPixels(0, 40)} dark pixels)");
            return png;
        })];
    }

    [Fact]
    public void Classifier_pictures_have_bars_a_heatmap_and_a_curve()
    {
        using var dir = new TempDir();
        string model = Fit(dir, dir.File("cls.csv", Synthetic.Classification(120, 9)), "label", "--iters", "3");
        var png = Plot(model, Path.Combine(dir.Path, "plots"));
        // ScottPlot's SteelBlue bars; a blank picture would have a single colour.
        Assert.True(png[0].Near(new SKColor(70, 130, 180)) > 20_000, "importances: no bars");
        Assert.True(png[1].DistinctColours() > 100, $"metric: {png[1].DistinctColours()} colours, no heatmap");
        Assert.True(png[2].Near(new SKColor(255, 69, 0)) > 100, "validation: the kept iteration is not circled");
        Assert.True(png[2].DistinctColours() > 20, "validation: looks blank");
    }

    [Fact]
    public void Regressor_curve_is_the_mse_in_the_targets_units()
    {
        using var dir = new TempDir();
        string model = Fit(dir, dir.File("reg.csv", Synthetic.Regression(80, 3)), "y", "--iters", "2");
        Plot(model, Path.Combine(dir.Path, "plots"));
        var subject = PlotCommand.Subject(RfmModel.Load(model));
        Assert.False(subject.Classification);
        Assert.Equal("validation MSE of 'y' (lower is better)", ValidationPlot.Measure(subject));
        // rfm fit standardises the target: the MSE on the plot is the fitted one times the target's variance.
        double sd = ((RfmRegressionModel)subject.Model).TargetScales[0];
        Assert.Equal(sd * sd, subject.TargetScale, 12);
        Assert.Equal(["x1", "x2"], subject.FeatureNames);
    }

    [Fact]
    public void Wide_model_shows_the_top_features_by_name_largest_first()
    {
        using var dir = new TempDir();
        const int d = 110;
        var rng = new Random(5);
        var sb = new StringBuilder(string.Join(',', Enumerable.Range(0, d).Select(j => $"sensor_reading_channel_{j:000}")) + ",label\n");
        for (int i = 0; i < 60; i++)
        {
            double[] x = [.. Enumerable.Range(0, d).Select(_ => Synthetic.Gauss(rng))];
            sb.Append(string.Join(',', x.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))).Append(x[3] - x[70] > 0 ? ",1\n" : ",0\n");
        }
        string model = Fit(dir, dir.File("wide.csv", sb.ToString()), "label", "--iters", "2", "--val-fraction", "0");
        Plot(model, Path.Combine(dir.Path, "plots"));

        var subject = PlotCommand.Subject(RfmModel.Load(model));
        Assert.Equal(2, subject.Model.BestIteration);
        float[] imp = subject.Model.FeatureImportances();
        int[] bars = ImportancesPlot.Order(imp);
        Assert.Equal(ImportancesPlot.MaxBars, bars.Length);
        Assert.True(bars.Zip(bars.Skip(1)).All(p => imp[p.First] >= imp[p.Second]), "bars not sorted");
        Assert.Equal(imp.Max(), imp[bars[0]]);
        var importances = ImportancesPlot.Build(subject, ModelPlots.Width);
        using (importances.GetImage(ModelPlots.Width, ModelPlots.Height)) { } // the tick labels exist once rendered
        string[] labels = [.. importances.Axes.Bottom.TickGenerator.Ticks.Select(t => t.Label)];
        Assert.Equal(bars.Select(f => $"sensor_reading_channel_{f:000}"), labels);
        Assert.Contains("top 30 of 110 features", importances.Axes.Title.Label.Text, StringComparison.Ordinal);

        int[] shown = MetricHeatmap.Shown(imp);
        Assert.Equal(MetricHeatmap.MaxFeatures, shown.Length);
        Assert.Equal(imp.Max(), imp[shown[0]]);
        string title = MetricHeatmap.Build(subject, ModelPlots.HeatmapHeight).Axes.Title.Label.Text;
        Assert.Contains("top 100 of 110 features by importance", title, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_saved_by_the_library_without_validation_or_names()
    {
        using var dir = new TempDir();
        var rng = new Random(2);
        var x = new float[40, 3];
        var y = new int[40];
        for (int i = 0; i < 40; i++)
        {
            for (int j = 0; j < 3; j++)
                x[i, j] = (float)Synthetic.Gauss(rng);
            y[i] = x[i, 0] > 0 ? 1 : 0;
        }
        var fitted = new RfmClassifier(new RfmOptions { Iterations = 2, ValidationFraction = 0 })
            .Fit(x, y, cancellationToken: TestContext.Current.CancellationToken);
        string model = Path.Combine(dir.Path, "api.rfm");
        fitted.Save(model);
        var png = Plot(model, Path.Combine(dir.Path, "plots"));
        // No curve to draw: the picture says so in words.
        Assert.True(png[2].DarkPixels(0, png[2].Height) > 1000, "validation: no explanation written");
        var subject = PlotCommand.Subject(RfmModel.Load(model));
        Assert.Equal(["x0", "x1", "x2"], subject.FeatureNames);
        Assert.True(subject.Classification);
    }

    [Fact]
    public void Long_names_keep_both_ends()
    {
        string s = CategoryLabels.Shorten("upstream_nucleotide_position_f15_and_more_words");
        Assert.Equal(CategoryLabels.MaxChars, s.Length);
        Assert.StartsWith("upstream_nucl", s, StringComparison.Ordinal);
        Assert.EndsWith("more_words", s, StringComparison.Ordinal);
        Assert.Equal("short", CategoryLabels.Shorten("short"));
    }

    [Fact]
    public void Font_is_found_by_name_or_else_any_font_file()
    {
        using var dir = new TempDir();
        string missing = Path.Combine(dir.Path, "none.ttf");
        Assert.Null(PlotFont.Find([missing], Path.Combine(dir.Path, "no-such-dir")));
        Assert.Null(PlotFont.Find([missing], dir.Path));
        string any = dir.File("fonts/b/Some.TTF", "");
        dir.File("fonts/a/readme.txt", "");
        Assert.Equal(any, PlotFont.Find([missing], Path.Combine(dir.Path, "fonts")));
        string preferred = dir.File("DejaVuSans.ttf", "");
        Assert.Equal(preferred, PlotFont.Find([missing, preferred], Path.Combine(dir.Path, "fonts")));
    }

    [Fact]
    public void Errors_are_one_line()
    {
        using var dir = new TempDir();
        string model = Fit(dir, dir.File("cls.csv", Synthetic.Classification(40, 1)), "label", "--iters", "1");
        string outDir = Path.Combine(dir.Path, "plots");
        string missing = Path.Combine(dir.Path, "none.rfm");
        CliRunner.Run("plot", missing, "--out", outDir).AssertOneLineError(Cli.InputError, missing, "no such model file");
        CliRunner.Run("plot", dir.Path, "--out", outDir).AssertOneLineError(Cli.InputError, "is a folder, not a model file");
        string text = dir.File("bad.rfm", "not a model");
        CliRunner.Run("plot", text, "--out", outDir).AssertOneLineError(Cli.InputError, text, "not a usable model file");
        var bytes = File.ReadAllBytes(model);
        string truncated = Path.Combine(dir.Path, "truncated.rfm");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        CliRunner.Run("plot", truncated, "--out", outDir).AssertOneLineError(Cli.InputError, "not a usable model file");

        // The output folder is a file, or a picture's name is taken by a folder.
        string file = dir.File("taken", "");
        CliRunner.Run("plot", model, "--out", file).AssertOneLineError(Cli.InputError, file, "cannot write the pictures there");
        Directory.CreateDirectory(Path.Combine(outDir, ModelPlots.Validation));
        CliRunner.Run("plot", model, "--out", outDir).AssertOneLineError(Cli.InputError, outDir, "cannot write the pictures there");

        var usage = CliRunner.Run("plot", model);
        Assert.Equal(Cli.UsageError, usage.ExitCode);
        Assert.Contains("--out", usage.Err, StringComparison.Ordinal);
    }
}
