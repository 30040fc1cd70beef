using System;
using System.IO;
using System.Linq;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary>The outcome of one rfm command line.</summary>
sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Asserts a bad-input failure: the exit code, exactly one stderr line starting with "rfm: " and
    /// containing every fragment, and no stack trace anywhere.</summary>
    public void AssertOneLineError(int exitCode, params string[] fragments)
    {
        Assert.Equal(exitCode, ExitCode);
        Assert.Single(ErrLines);
        Assert.StartsWith("rfm: ", ErrLines[0], StringComparison.Ordinal);
        foreach (string f in fragments)
            Assert.Contains(f, ErrLines[0], StringComparison.Ordinal);
        AssertNoStackTrace();
    }

    public void AssertNoStackTrace()
    {
        Assert.DoesNotContain("   at ", Out + Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", Out + Err, StringComparison.Ordinal);
    }
}

static class CliRunner
{
    /// <summary>Runs the tool in-process with captured output.</summary>
    public static CliResult Run(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        int code = Cli.Run(args, o, e);
        return new CliResult(code, o.ToString().Replace("\r", "", StringComparison.Ordinal), e.ToString().Replace("\r", "", StringComparison.Ordinal));
    }

    /// <summary>The value after a label on the first stdout line that has it, e.g. "test accuracy 0.9500".</summary>
    public static double Number(string output, string label)
    {
        string line = output.Split('\n').First(l => l.Contains(label, StringComparison.Ordinal));
        string rest = line[(line.IndexOf(label, StringComparison.Ordinal) + label.Length)..].Trim();
        return double.Parse(rest.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
