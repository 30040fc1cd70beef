using System;
using System.Linq;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary><c>rfm fit</c> and <c>rfm eval</c> on generated CSV files.</summary>
public sealed class FitEvalTests
{
    [Fact]
    public void FitClassificationReportsEveryIteration()
    {
        using var dir = new TempDir();
        // Every 7th label flipped: a perfect validation score would end the loop early.
        var lines = Synthetic.Classification(120, 1, textLabels: true).Split('\n');
        for (int i = 7; i < lines.Length; i += 7)
            lines[i] = lines[i].EndsWith(",yes", StringComparison.Ordinal) ? lines[i][..^4] + ",no" : lines[i].Replace(",no", ",yes", StringComparison.Ordinal);
        string p = dir.File("cls.csv", string.Join('\n', lines));
        var r = CliRunner.Run("fit", p, "--target", "label", "--iters", "3");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        Assert.Contains("task classification (auto: the target is not numeric)", r.Out, StringComparison.Ordinal);
        Assert.Contains("classes: 2 (no, yes)", r.Out, StringComparison.Ordinal);
        // Progress: every phase of every iteration, a validation accuracy per iteration, and the refit.
        for (int t = 0; t <= 3; t++)
        {
            Assert.Contains($"  iter {t}  kernel", r.Out, StringComparison.Ordinal);
            Assert.Contains($"  iter {t}  solve", r.Out, StringComparison.Ordinal);
            Assert.Contains($"  iter {t}  validate val accuracy ", r.Out, StringComparison.Ordinal);
        }
        Assert.Contains("refit", r.Out, StringComparison.Ordinal);
        // The summary table: one row per iteration and the chosen one marked.
        var rows = r.Out.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l.TrimStart('|', ' ')[0])).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Single(rows, l => l.Contains(" * |", StringComparison.Ordinal));
        Assert.InRange(CliRunner.Number(r.Out, "train accuracy"), 0.9, 1.0);
        Assert.Contains("not saved", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void FitRegressionWithValidationFile()
    {
        using var dir = new TempDir();
        string train = dir.File("train.csv", Synthetic.Regression(150, 1));
        string val = dir.File("val.csv", Synthetic.Regression(50, 2));
        var r = CliRunner.Run("fit", train, "--target", "y", "--val", val, "--iters", "2", "--reg", "0.01", "--bandwidth", "5");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("task regression", r.Out, StringComparison.Ordinal);
        Assert.Contains($"iteration chosen on {val} (n=50)", r.Out, StringComparison.Ordinal);
        Assert.Contains("val RMSE", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("refit", r.Out, StringComparison.Ordinal);
        double rmse = CliRunner.Number(r.Out, "validation RMSE");
        Assert.InRange(rmse, 0, 0.5); // y spans about 7 units
        Assert.InRange(CliRunner.Number(r.Out, "R^2"), 0.95, 1.0);
    }

    [Fact]
    public void FitWithoutHoldoutKeepsTheLastIteration()
    {
        using var dir = new TempDir();
        string p = dir.File("cls.csv", Synthetic.Classification(60, 3));
        var r = CliRunner.Run("fit", p, "--target", "label", "--val-fraction", "0", "--iters", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("no validation: the last iteration is kept", r.Out, StringComparison.Ordinal);
        Assert.Contains("model: iteration 2 (*)", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewRowsForAHoldout()
    {
        using var dir = new TempDir();
        string p = dir.File("tiny.csv", "a,y\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n7,1\n8,0\n");
        var r = CliRunner.Run("fit", p, "--target", "y", "--iters", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("no validation: the last iteration is kept", r.Out, StringComparison.Ordinal);
        Assert.Contains("model: iteration 1 (*)", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalClassificationIsSeededAndAccurate()
    {
        using var dir = new TempDir();
        string p = dir.File("cls.csv", Synthetic.Classification(200, 5));
        var a = CliRunner.Run("eval", p, "--target", "label", "--seed", "3");
        var b = CliRunner.Run("eval", p, "--target", "label", "--seed", "3");
        Assert.Equal(0, a.ExitCode);
        Assert.Contains("task classification (auto: 2 distinct integer target values", a.Out, StringComparison.Ordinal);
        Assert.Contains("split: 160 train / 40 test (seed 3)", a.Out, StringComparison.Ordinal);
        double acc = CliRunner.Number(a.Out, "test accuracy");
        Assert.Equal(acc, CliRunner.Number(b.Out, "test accuracy"));
        Assert.InRange(acc, 0.85, 1.0);
    }

    [Fact]
    public void EvalRegressionReportsRmseAndR2()
    {
        using var dir = new TempDir();
        string p = dir.File("reg.csv", Synthetic.Regression(200, 7));
        var r = CliRunner.Run("eval", p, "--target", "y", "--test-fraction", "0.25", "--iters", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("split: 150 train / 50 test (seed 0)", r.Out, StringComparison.Ordinal);
        Assert.InRange(CliRunner.Number(r.Out, "test RMSE"), 0, 0.5);
        Assert.InRange(CliRunner.Number(r.Out, "R^2"), 0.95, 1.0);
    }

    [Fact]
    public void TaskOverrideAndOtherSeparators()
    {
        using var dir = new TempDir();
        // Integer target with few values: classification by default, regression when asked. Semicolons.
        string p = dir.File("semi.csv", Synthetic.Classification(80, 9).Replace(',', ';'));
        var cls = CliRunner.Run("eval", p, "--target", "label");
        Assert.Equal(0, cls.ExitCode);
        Assert.Contains("test accuracy", cls.Out, StringComparison.Ordinal);
        var reg = CliRunner.Run("eval", p, "--target", "label", "--task", "regression", "--no-standardize", "--kernel", "gaussian");
        Assert.Equal(0, reg.ExitCode);
        Assert.Contains("task regression (as asked)", reg.Out, StringComparison.Ordinal);
        Assert.Contains("Gaussian kernel", reg.Out, StringComparison.Ordinal);
        Assert.Contains("features as given", reg.Out, StringComparison.Ordinal);
        Assert.Contains("test RMSE", reg.Out, StringComparison.Ordinal);
    }
}
