using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary><c>rfm uci</c> and <c>rfm pmlb</c> rewrite OUT.md and OUT.json after every dataset, so a long run that
/// is killed keeps what it finished; the files are seen here the moment the second dataset starts.</summary>
public sealed class ResultFilesTests
{
    /// <summary>Standard output that copies the result files when a line starting with <paramref name="trigger"/>
    /// is written.</summary>
    sealed class SnapshotWriter(string prefix, string trigger) : StringWriter
    {
        public string? Markdown, Json;

        public override void WriteLine(string? value)
        {
            if (Markdown is null && value is not null && value.StartsWith(trigger, StringComparison.Ordinal))
            {
                Markdown = File.Exists(prefix + ".md") ? File.ReadAllText(prefix + ".md") : "(none)";
                Json = File.Exists(prefix + ".json") ? File.ReadAllText(prefix + ".json") : "(none)";
            }
            base.WriteLine(value);
        }
    }

    [Fact]
    public void Uci_results_hold_each_finished_dataset_while_the_run_goes_on()
    {
        using var dir = new TempDir();
        UciFiles.Write(dir.Path, "first", UciFiles.Toy(40, 1));
        UciFiles.Write(dir.Path, "second", UciFiles.Toy(40, 2));
        string prefix = Path.Combine(dir.Path, "out", "res");
        Check(prefix, "[2/2] second", ["uci", dir.Path, "--only", "first,second", "--out", prefix], "| first ", "| second ");
    }

    [Fact]
    public void Pmlb_results_hold_each_finished_dataset_while_the_run_goes_on()
    {
        using var dir = new TempDir();
        var (x1, y1) = PmlbTests.Toy(30, 1);
        var (x2, y2) = PmlbTests.Toy(30, 2);
        PmlbTests.WriteFolder(dir.Path, ("first", x1, y1, false), ("second", x2, y2, false));
        string prefix = Path.Combine(dir.Path, "out", "res");
        Check(prefix, "[2/2] second", ["pmlb", dir.Path, "--splits", "1", "--only", "first,second", "--out", prefix], "| first ", "| second ");
    }

    static void Check(string prefix, string trigger, string[] args, string firstRow, string secondRow)
    {
        using var o = new SnapshotWriter(prefix, trigger);
        using var e = new StringWriter();
        Assert.Equal(0, Cli.Run(args, o, e));
        Assert.Equal("", e.ToString());

        // While the second dataset ran: the first alone, marked in progress.
        Assert.NotNull(o.Markdown);
        Assert.Contains(firstRow, o.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(secondRow, o.Markdown, StringComparison.Ordinal);
        Assert.Contains("In progress**: 1 of 2 dataset(s)", o.Markdown, StringComparison.Ordinal);
        using (var partial = JsonDocument.Parse(o.Json!))
        {
            Assert.Equal(1, partial.RootElement.GetArrayLength());
            Assert.Equal("first", partial.RootElement[0].GetProperty("dataset").GetString());
        }

        // At the end: both, not marked, and no temporary file left beside them.
        string md = File.ReadAllText(prefix + ".md");
        Assert.Contains(firstRow, md, StringComparison.Ordinal);
        Assert.Contains(secondRow, md, StringComparison.Ordinal);
        Assert.DoesNotContain("In progress", md, StringComparison.Ordinal);
        using (var final = JsonDocument.Parse(File.ReadAllText(prefix + ".json")))
            Assert.Equal(2, final.RootElement.GetArrayLength());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(prefix)!, "*.partial"));
    }
}
