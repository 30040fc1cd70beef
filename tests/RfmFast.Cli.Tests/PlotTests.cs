using System;
using System.Buffers.Binary;
using System.IO;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary><c>rfm plot</c>: three valid PNGs of the expected size with real content, and one-line errors.</summary>
public sealed class PlotTests
{
    [Fact]
    public void Writes_three_pictures()
    {
        using var dir = new TempDir();
        string train = dir.File("cls.csv", Synthetic.Classification(120, 9));
        string model = Path.Combine(dir.Path, "m.rfm");
        Assert.Equal(0, CliRunner.Run("fit", train, "--target", "label", "--iters", "3", "--out", model).ExitCode);
        string outDir = Path.Combine(dir.Path, "plots");
        var r = CliRunner.Run("plot", model, "--out", outDir);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        foreach (var (name, height) in new[] { ("importances.png", 600), ("metric.png", 800), ("validation.png", 600) })
        {
            string p = Path.Combine(outDir, name);
            Assert.Contains($"wrote {p}", r.Out, StringComparison.Ordinal);
            byte[] b = File.ReadAllBytes(p);
            Assert.True(b.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{name}: not a PNG");
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(b, 12, 4));
            Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(16)));
            Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(20)));
            // A blank 1000 x 600 PNG compresses to well under 10 KB; bars, a heatmap, a curve, text do not.
            Assert.True(b.Length > 12_000, $"{name}: {b.Length} bytes, looks blank");
        }
    }

    [Fact]
    public void Bad_models_are_one_clear_line()
    {
        using var dir = new TempDir();
        var missing = CliRunner.Run("plot", Path.Combine(dir.Path, "none.rfm"), "--out", dir.Path);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("no such model file", missing.Err, StringComparison.Ordinal);
        var corrupt = CliRunner.Run("plot", dir.File("bad.rfm", "not a model"), "--out", dir.Path);
        Assert.NotEqual(0, corrupt.ExitCode);
        Assert.Contains("not a usable model file", corrupt.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", corrupt.Err, StringComparison.Ordinal);
    }
}
