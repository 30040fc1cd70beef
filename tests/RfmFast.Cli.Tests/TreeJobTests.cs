using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary><c>rfm fit --plan</c>, <c>rfm fit-leaf</c> and <c>rfm assemble</c>: a tree fit split into jobs gives the
/// model the in-process fit gives.</summary>
public sealed class TreeJobTests
{
    /// <summary>Starts the real rfm (rfm.dll next to this test) without waiting.</summary>
    static Process Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "rfm.dll");
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(dll);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    static void Finish(Process p)
    {
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "rfm fit-leaf did not finish in 120 s");
        Assert.True(p.ExitCode == 0, err.Result);
    }

    [Fact]
    public void Plan_two_leaf_processes_at_a_time_and_assemble_predict_exactly_what_the_in_process_fit_predicts()
    {
        using var dir = new TempDir();
        string data = dir.File("cls.csv", Synthetic.Classification(1200, 3, textLabels: true));
        string plan = Path.Combine(dir.Path, "plan");
        string[] tree = ["--max-leaf-size", "300", "--iters", "2", "--seed", "4"];
        var planned = CliRunner.Run(["fit", data, "--target", "label", "--plan", plan, .. tree]);
        Assert.Equal(0, planned.ExitCode);
        var shards = Directory.GetFiles(plan, "*.rfmshard").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(4, shards.Length);
        for (int k = 0; k < shards.Length; k += 2)
        {
            var pair = shards.Skip(k).Take(2).Select(s => Start("fit-leaf", s, "--out", Path.ChangeExtension(s, ".rfmleaf"))).ToArray();
            foreach (var p in pair)
            {
                using (p)
                    Finish(p);
            }
        }
        string assembled = Path.Combine(dir.Path, "assembled.rfm"), inProcess = Path.Combine(dir.Path, "fit.rfm");
        Assert.Equal(0, CliRunner.Run("assemble", plan, "--out", assembled).ExitCode);
        Assert.Equal(0, CliRunner.Run(["fit", data, "--target", "label", "--out", inProcess, .. tree]).ExitCode);

        string pa = Path.Combine(dir.Path, "a.csv"), pb = Path.Combine(dir.Path, "b.csv");
        Assert.Equal(0, CliRunner.Run("predict", assembled, data, "--proba", "--out", pa).ExitCode);
        Assert.Equal(0, CliRunner.Run("predict", inProcess, data, "--proba", "--out", pb).ExitCode);
        Assert.Equal(File.ReadAllText(pb), File.ReadAllText(pa));

        var a = Assert.IsType<RfmClassifierModel>(RfmModel.Load(assembled));
        var b = Assert.IsType<RfmClassifierModel>(RfmModel.Load(inProcess));
        Assert.True(a.IsTree);
        Assert.Equal(b.ClassNames, a.ClassNames);
        Assert.Equal(b.FeatureNames, a.FeatureNames);
        Assert.Equal(b.Tree!.Splits.Select(s => s.Threshold), a.Tree!.Splits.Select(s => s.Threshold));
        Assert.Equal(b.Tree.Leaves.Select(l => l.BestIteration), a.Tree.Leaves.Select(l => l.BestIteration));

        // A tree model plots: the mean importances and M, every leaf's validation curve, and tree.png.
        string plots = Path.Combine(dir.Path, "plots");
        var plotted = CliRunner.Run("plot", assembled, "--out", plots);
        Assert.Equal(0, plotted.ExitCode);
        foreach (string png in new[] { "importances.png", "metric.png", "validation.png", "tree.png" })
            Assert.Equal((byte)0x89, File.ReadAllBytes(Path.Combine(plots, png))[0]);
    }

    [Fact]
    public void Soft_routing_chooses_the_same_temperature_when_assembled()
    {
        using var dir = new TempDir();
        string data = dir.File("reg.csv", Synthetic.Regression(900, 5));
        string plan = Path.Combine(dir.Path, "plan");
        string[] tree = ["--max-leaf-size", "200", "--iters", "1", "--routing", "soft"];
        Assert.Equal(0, CliRunner.Run(["fit", data, "--target", "y", "--plan", plan, .. tree]).ExitCode);
        foreach (string s in Directory.GetFiles(plan, "*.rfmshard"))
            Assert.Equal(0, CliRunner.Run("fit-leaf", s, "--out", Path.ChangeExtension(s, ".rfmleaf")).ExitCode);
        string assembled = Path.Combine(dir.Path, "assembled.rfm"), inProcess = Path.Combine(dir.Path, "fit.rfm");
        Assert.Equal(0, CliRunner.Run("assemble", plan, "--out", assembled).ExitCode);
        Assert.Equal(0, CliRunner.Run(["fit", data, "--target", "y", "--out", inProcess, .. tree]).ExitCode);
        var a = RfmModel.Load(assembled);
        var b = RfmModel.Load(inProcess);
        Assert.Equal(b.Tree!.Temperature, a.Tree!.Temperature);
        Assert.Equal(b.Centers, a.Centers);
        var x = new float[50, 2];
        var rng = new Random(6);
        for (int i = 0; i < 50; i++)
            for (int j = 0; j < 2; j++)
                x[i, j] = (float)(4 * rng.NextDouble() - 2);
        Assert.Equal(b.PredictRaw(x).Cast<float>(), a.PredictRaw(x).Cast<float>());
    }

    [Fact]
    public void Assemble_names_a_missing_leaf_a_leaf_of_another_plan_and_a_leaf_fitted_twice()
    {
        using var dir = new TempDir();
        string data = dir.File("cls.csv", Synthetic.Classification(400, 7));
        string plan = Path.Combine(dir.Path, "plan"), other = Path.Combine(dir.Path, "other");
        string[] tree = ["--max-leaf-size", "100", "--iters", "1"];
        Assert.Equal(0, CliRunner.Run(["fit", data, "--target", "label", "--plan", plan, .. tree]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["fit", data, "--target", "label", "--plan", other, .. tree]).ExitCode);
        var shards = Directory.GetFiles(plan, "*.rfmshard").Order(StringComparer.Ordinal).ToArray();
        foreach (string s in shards.Skip(1))
            Assert.Equal(0, CliRunner.Run("fit-leaf", s, "--out", Path.ChangeExtension(s, ".rfmleaf")).ExitCode);
        string model = Path.Combine(dir.Path, "m.rfm");
        CliRunner.Run("assemble", plan, "--out", model).AssertOneLineError(1, "1 of 4 leaves are not fitted yet", "leaf 0");

        string foreign = Path.Combine(plan, "foreign.rfmleaf");
        Assert.Equal(0, CliRunner.Run("fit-leaf", Directory.GetFiles(other, "*.rfmshard").Order(StringComparer.Ordinal).First(), "--out", foreign).ExitCode);
        CliRunner.Run("assemble", plan, "--out", model).AssertOneLineError(1, "another plan");
        File.Delete(foreign);

        Assert.Equal(0, CliRunner.Run("fit-leaf", shards[1], "--out", Path.Combine(plan, "again.rfmleaf")).ExitCode);
        CliRunner.Run("assemble", plan, "--out", model).AssertOneLineError(1, "fitted twice");
        Assert.False(File.Exists(model));
        CliRunner.Run("fit", data, "--target", "label", "--plan", plan, "--out", model).AssertOneLineError(1, "either --plan");
    }
}
