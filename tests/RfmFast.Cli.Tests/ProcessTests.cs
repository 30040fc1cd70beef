using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary>The real rfm process (the tool's rfm.dll next to this test executable, run by the dotnet host):
/// the exit code and streams a shell sees.</summary>
public sealed class ProcessTests
{
    static (int Code, string Out, string Err) RunProcess(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "rfm.dll");
        Assert.True(File.Exists(dll), $"missing {dll}");
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(dll);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "rfm did not finish in 120 s");
        return (p.ExitCode, output, err.Result);
    }

    [Fact]
    public void BadInputIsOneLineAndExitCodeOne()
    {
        using var dir = new TempDir();
        string ragged = dir.File("ragged.csv", "a,b,y\n1,2,3\n4,5\n");
        var (code, output, err) = RunProcess("eval", ragged, "--target", "y");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"rfm: {ragged} line 3: 2 cells, but the header has 3 columns", err.TrimEnd('\n', '\r'));
    }

    [Fact]
    public void SuccessExitsWithZero()
    {
        using var dir = new TempDir();
        string p = dir.File("cls.csv", Synthetic.Classification(60, 2));
        var (code, output, err) = RunProcess("eval", p, "--target", "label", "--iters", "1");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("test accuracy", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageErrorExitsWithTwo()
    {
        var (code, _, err) = RunProcess("fit");
        Assert.Equal(2, code);
        Assert.Contains("rfm: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
