using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary>
/// <c>rfm uci --precision float64</c> on hill-valley from ../shared/data/uci121, against the float64 oracle
/// (../shared/peers/uci_protocol.py, run independently: RFM 0.94205 with reg 0.001, normalisation on, iteration 1;
/// Laplace 0.81291). This set is the reason for the option: with normalised rows and reg 1e-3 the float kernel
/// matrix's rounding noise exceeds reg, and the float run picks another setting (78.8 %).
/// </summary>
public sealed class UciPrecisionTests
{
    static string SharedData()
    {
        string? env = Environment.GetEnvironmentVariable("RFMFAST_SHARED_DIR");
        if (!string.IsNullOrEmpty(env))
            return Path.Combine(env, "data", "uci121");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RfmFast.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "uci121"));
        throw new InvalidOperationException("RfmFast.sln not found above the test binaries.");
    }

    [Fact]
    public void Float64_reproduces_the_oracle_on_hill_valley()
    {
        string data = SharedData();
        Assert.True(Directory.Exists(Path.Combine(data, "hill-valley")), $"missing {data}/hill-valley (../shared/data)");
        using var dir = new TempDir();
        string prefix = Path.Combine(dir.Path, "r");
        var run = CliRunner.Run("uci", data, "--only", "hill-valley", "--precision", "float64", "--out", prefix);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Every fit computes in float64", File.ReadAllText(prefix + ".md"), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".json"));
        var r = json.RootElement[0];
        Assert.Equal(0.9420529801324503, r.GetProperty("rfm_test_accuracy").GetDouble(), 1e-9);
        Assert.Equal(0.8129139072847683, r.GetProperty("laplace_test_accuracy").GetDouble(), 1e-9);
        Assert.Equal(0.001, r.GetProperty("rfm_reg").GetDouble());
        Assert.True(r.GetProperty("rfm_normalize").GetBoolean());
        Assert.Equal(1, r.GetProperty("rfm_iteration").GetInt32());
    }

    [Fact]
    public void An_unknown_precision_is_one_clear_error()
    {
        var run = CliRunner.Run("uci", ".", "--precision", "float16");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("float16", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
    }
}
