using System.IO;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary>Bad input: one clear stderr line, a non-zero exit code, never a stack trace.</summary>
public sealed class ErrorTests
{
    [Theory]
    [InlineData("fit")]
    [InlineData("eval")]
    public void MissingFile(string command)
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "nope.csv");
        CliRunner.Run(command, path, "--target", "y").AssertOneLineError(Cli.InputError, path, "no such file");
    }

    [Fact]
    public void UnknownColumnListsTheColumns()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", Synthetic.Regression(20, 1));
        CliRunner.Run("fit", p, "--target", "z").AssertOneLineError(Cli.InputError, "no column 'z'", "x1, x2, y");
    }

    [Fact]
    public void NonNumericFeatureCellNamesLineAndColumn()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", "x1,x2,y\n1,2,3\n4,abc,6\n7,8,9\n");
        CliRunner.Run("fit", p, "--target", "y").AssertOneLineError(Cli.InputError, "line 3", "column 'x2'", "'abc' is not a finite number");
    }

    [Fact]
    public void EmptyFeatureCell()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", "x1,x2,y\n1,2,3\n4,,6\n7,8,9\n");
        CliRunner.Run("eval", p, "--target", "y").AssertOneLineError(Cli.InputError, "line 3", "an empty cell");
    }

    [Fact]
    public void NanIsNotANumber()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", "x1,x2,y\n1,2,3\n4,NaN,6\n7,8,9\n");
        CliRunner.Run("fit", p, "--target", "y").AssertOneLineError(Cli.InputError, "'NaN' is not a finite number");
    }

    [Fact]
    public void NonNumericRegressionTarget()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", "x1,x2,y\n1,2,3\n4,5,six\n7,8,9\n");
        CliRunner.Run("fit", p, "--target", "y", "--task", "regression").AssertOneLineError(Cli.InputError, "line 3", "'six'");
    }

    [Theory]
    [InlineData("x1,x2,y\n1,2,3\n4,5\n7,8,9\n", "line 3", "2 cells", "3 columns")]
    [InlineData("x1,x2,y\n1,2,3\n4,5,6,7\n", "line 3", "4 cells", "3 columns")]
    public void RaggedRow(string content, string f1, string f2, string f3)
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", content);
        CliRunner.Run("fit", p, "--target", "y").AssertOneLineError(Cli.InputError, f1, f2, f3);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("\n\n", "the file is empty")]
    [InlineData("x1,x2,y\n", "no data rows")]
    public void EmptyFile(string content, string fragment)
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", content);
        CliRunner.Run("eval", p, "--target", "y").AssertOneLineError(Cli.InputError, fragment);
    }

    [Fact]
    public void DuplicateHeader()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", "x,x,y\n1,2,3\n");
        // Sep's own message: "Col name 'x' found 2 times at 0:'x' 1:'x' in header row 'x,x,y'".
        CliRunner.Run("fit", p, "--target", "y").AssertOneLineError(Cli.InputError, "'x'", "header");
    }

    [Fact]
    public void OnlyTheTargetColumn()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", "y\n1\n2\n");
        CliRunner.Run("fit", p, "--target", "y").AssertOneLineError(Cli.InputError, "no feature columns");
    }

    [Fact]
    public void SingleClass()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", "a,label\n1,x\n2,x\n3,x\n");
        CliRunner.Run("fit", p, "--target", "label").AssertOneLineError(Cli.InputError, "single class");
    }

    [Fact]
    public void ValidationFileWithAnUnknownClassOrMissingColumn()
    {
        using var dir = new TempDir();
        string train = dir.File("t.csv", Synthetic.Classification(40, 1, textLabels: true));
        string val = dir.File("v.csv", "a,b,c,label\n1,2,3,maybe\n");
        CliRunner.Run("fit", train, "--target", "label", "--val", val).AssertOneLineError(Cli.InputError, "class 'maybe'");
        string val2 = dir.File("v2.csv", "a,b,label\n1,2,yes\n");
        CliRunner.Run("fit", train, "--target", "label", "--val", val2).AssertOneLineError(Cli.InputError, "no column 'c'");
    }

    [Theory]
    [InlineData("--reg", "-1", "--reg")]
    [InlineData("--bandwidth", "0", "--bandwidth")]
    [InlineData("--iters", "-2", "--iters")]
    public void OutOfRangeOptions(string option, string value, string fragment)
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", Synthetic.Regression(20, 1));
        CliRunner.Run("fit", p, "--target", "y", option, value).AssertOneLineError(Cli.InputError, fragment);
    }

    [Fact]
    public void ValAndValFractionTogether()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", Synthetic.Regression(20, 1));
        CliRunner.Run("fit", p, "--target", "y", "--val", p, "--val-fraction", "0.3").AssertOneLineError(Cli.InputError, "either --val or --val-fraction");
    }

    [Fact]
    public void TestFractionOutOfRange()
    {
        using var dir = new TempDir();
        string p = dir.File("d.csv", Synthetic.Regression(20, 1));
        CliRunner.Run("eval", p, "--target", "y", "--test-fraction", "1.5").AssertOneLineError(Cli.InputError, "--test-fraction");
    }

    [Fact]
    public void UsageErrorsExitWithTwo()
    {
        var missingTarget = CliRunner.Run("fit", "whatever.csv");
        Assert.Equal(Cli.UsageError, missingTarget.ExitCode);
        Assert.Contains("--target", missingTarget.Err, System.StringComparison.Ordinal);
        missingTarget.AssertNoStackTrace();

        var notANumber = CliRunner.Run("fit", "whatever.csv", "--target", "y", "--reg", "abc");
        Assert.Equal(Cli.UsageError, notANumber.ExitCode);
        notANumber.AssertNoStackTrace();

        var badTask = CliRunner.Run("eval", "whatever.csv", "--target", "y", "--task", "ranking");
        Assert.Equal(Cli.UsageError, badTask.ExitCode);

        Assert.Equal(Cli.UsageError, CliRunner.Run().ExitCode);
        Assert.Equal(Cli.UsageError, CliRunner.Run("frobnicate").ExitCode);
    }

    [Fact]
    public void HelpGoesToStdout()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("uci", r.Out, System.StringComparison.Ordinal);
        Assert.Contains("eval", r.Out, System.StringComparison.Ordinal);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void UciMissingFolderAndUnknownDataset()
    {
        using var dir = new TempDir();
        string missing = Path.Combine(dir.Path, "none");
        CliRunner.Run("uci", missing).AssertOneLineError(Cli.InputError, "no such folder");
        CliRunner.Run("uci", dir.Path).AssertOneLineError(Cli.InputError, "no UCI dataset folders");
        UciFiles.Write(dir.Path, "toy", UciFiles.Toy(40, 1));
        CliRunner.Run("uci", dir.Path, "--only", "toy,other").AssertOneLineError(Cli.InputError, "no dataset named 'other'");
    }

    [Fact]
    public void UciBrokenDatasetIsReportedAndTheOthersStillRun()
    {
        using var dir = new TempDir();
        UciFiles.Write(dir.Path, "good", UciFiles.Toy(40, 1));
        UciFiles.Write(dir.Path, "bad", UciFiles.Toy(40, 2));
        File.WriteAllText(Path.Combine(dir.Path, "bad", "conxuntos.dat"), "0 1 2 999\n3 4 5\n");
        var r = CliRunner.Run("uci", dir.Path);
        Assert.Equal(Cli.InputError, r.ExitCode);
        Assert.Single(r.ErrLines);
        Assert.Contains("rfm: bad:", r.ErrLines[0], System.StringComparison.Ordinal);
        Assert.Contains("'999' is not a row index", r.ErrLines[0], System.StringComparison.Ordinal);
        Assert.Contains("| good ", r.Out, System.StringComparison.Ordinal);
        Assert.Contains("1 dataset(s) done, 0 skipped, 1 failed", r.Out, System.StringComparison.Ordinal);
        r.AssertNoStackTrace();
    }

    [Fact]
    public void UciRaggedDataFile()
    {
        using var dir = new TempDir();
        UciFiles.Write(dir.Path, "toy", UciFiles.Toy(40, 1));
        string data = Path.Combine(dir.Path, "toy", "toy_R.dat");
        File.AppendAllText(data, "41\t0.5\t1\n");
        var r = CliRunner.Run("uci", Path.Combine(dir.Path, "toy"));
        Assert.Equal(Cli.InputError, r.ExitCode);
        Assert.Single(r.ErrLines);
        Assert.Contains("line 42", r.ErrLines[0], System.StringComparison.Ordinal);
        r.AssertNoStackTrace();
    }
}
