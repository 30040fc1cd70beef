using System;
using System.Collections.Generic;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using RfmFast.Core;

namespace RfmFast.Bench;

/// <summary>
/// The BenchmarkDotNet configuration for a 2-core machine: one launch, 2 warm-up and 5 measured
/// iterations of about 250 ms each, so a large GEMM costs seconds, not minutes. The job is marked as
/// the default, so BenchmarkDotNet's command-line options (--job dry, --iterationCount, --warmupCount,
/// --launchCount, --disasm ...) apply on top of it.
/// </summary>
static class BenchConfig
{
    /// <summary>The variable a tier job sets so its child process can check that the JIT honoured the
    /// DOTNET_Enable* knob (.NET 10 silently ignores old names such as EnableAVX512F).</summary>
    public const string ExpectedTierVariable = "RFMFAST_BENCH_EXPECT_TIER";

    /// <summary>The .NET 10 knobs that cap the JIT at each tier (style-anchors §7).</summary>
    static readonly Dictionary<IsaTier, (string Name, string Value)?> s_knobs = new()
    {
        [IsaTier.V512] = null,
        [IsaTier.V256] = ("DOTNET_EnableAVX512", "0"),
        [IsaTier.V128] = ("DOTNET_EnableAVX2", "0"),
        [IsaTier.Scalar] = ("DOTNET_EnableHWIntrinsic", "0"),
    };

    /// <summary>The job of a quick check (--quick): 1 warm-up and 3 iterations of about 100 ms.</summary>
    public static Job QuickJob { get; } = Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(3)
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100))
        .WithGcServer(false)
        .WithId("2core-quick");

    public static Job BaseJob { get; } = Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(5)
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
        .WithGcServer(false)
        .WithId("2core-short");

    /// <summary>The config; with <paramref name="tiers"/> one job per tier (each in its own process with
    /// its DOTNET_Enable* variable), otherwise the default-tier job alone.</summary>
    /// <param name="tiers">The tiers to run, or null.</param>
    /// <param name="cliJob">True when the command line names a BenchmarkDotNet job (--job dry|short|...):
    /// then that job is used instead of <see cref="BaseJob"/> (BenchmarkDotNet ignores --job when the
    /// config already has a default job).</param>
    /// <param name="quick">Use <see cref="QuickJob"/> instead of <see cref="BaseJob"/>.</param>
    public static IConfig Create(IReadOnlyList<IsaTier>? tiers, bool cliJob, bool quick)
    {
        Job job = quick ? QuickJob : BaseJob;
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(GflopsColumn.Instance);
        if (tiers is null || tiers.Count == 0)
            return cliJob ? config : config.AddJob(job.AsDefault());
        foreach (IsaTier tier in tiers)
        {
            var variables = new List<EnvironmentVariable> { new(ExpectedTierVariable, tier.ToString()) };
            if (s_knobs[tier] is (string name, string value))
                variables.Add(new EnvironmentVariable(name, value));
            config.AddJob(job.WithEnvironmentVariables([.. variables]).WithId(tier.ToString()));
        }
        return config;
    }

    /// <summary>Called from every [GlobalSetup]: a tier job whose process did not get the tier it asked
    /// for fails instead of reporting the wrong tier's numbers under its name.</summary>
    public static void AssertTier()
    {
        string? expected = Environment.GetEnvironmentVariable(ExpectedTierVariable);
        if (string.IsNullOrEmpty(expected))
            return;
        if (!Enum.TryParse(expected, out IsaTier tier) || tier != Isa.Best)
            throw new InvalidOperationException($"This job expects tier {expected}, but the process runs {Isa.Describe()}.");
    }

    /// <summary>Parses "V512,V256,..." (or "all").</summary>
    public static List<IsaTier> ParseTiers(string list)
    {
        var tiers = new List<IsaTier>();
        if (list.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            tiers.AddRange([IsaTier.V512, IsaTier.V256, IsaTier.V128, IsaTier.Scalar]);
            return tiers;
        }
        foreach (string part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse(part, ignoreCase: true, out IsaTier tier) || !Enum.IsDefined(tier))
                throw new ArgumentException($"Unknown tier '{part}': use V512, V256, V128, Scalar or all.");
            tiers.Add(tier);
        }
        return tiers;
    }
}
