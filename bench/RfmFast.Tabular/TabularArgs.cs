using System;
using System.Collections.Generic;
using System.Globalization;

namespace RfmFast.Tabular;

/// <summary>The command line: [--quick] [--sets a,b] [--data DIR] [--seed S] [--rfm-max-rows N] [--out FILE].</summary>
internal sealed class TabularArgs
{
    public const string Usage =
        "usage: RfmFast.Tabular [--quick] [--sets a,b,c] [--data DIR] [--seed S] [--rfm-max-rows N] [--out FILE]";

    /// <summary>Only the 3 smallest sets (unless --sets names others) and a 2-configuration LightGBM grid.</summary>
    public bool Quick { get; private set; }

    /// <summary>The sets named by --sets, or null for all (or, with --quick, the 3 smallest).</summary>
    public IReadOnlyList<string>? Sets { get; private set; }

    /// <summary>The PMLB directory (--data), or null for ../shared/data/pmlb next to the repo root.</summary>
    public string? DataDir { get; private set; }

    /// <summary>The seed of the splits, of RfmFast and of LightGBM.</summary>
    public int Seed { get; private set; }

    /// <summary>RfmFast skips a set whose training part has more rows than this.</summary>
    public int RfmMaxRows { get; private set; } = int.MaxValue;

    /// <summary>A file that gets a copy of the table, or null.</summary>
    public string? OutFile { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with the usage on a bad one.</summary>
    public static TabularArgs Parse(string[] args)
    {
        var a = new TabularArgs();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            switch (args[i])
            {
                case "--quick": a.Quick = true; break;
                case "--sets": a.Sets = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--data": a.DataDir = Value(); break;
                case "--seed": a.Seed = ParseInt(args[i], Value(), int.MinValue); break;
                case "--rfm-max-rows": a.RfmMaxRows = ParseInt(args[i], Value(), 0); break;
                case "--out": a.OutFile = Value(); break;
                case "-h" or "--help": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"unknown argument {args[i]}\n{Usage}");
            }
        }
        return a;
    }

    static int ParseInt(string name, string text, int min) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min
            ? v
            : throw new ArgumentException($"{name}: '{text}' is not an integer >= {min}\n{Usage}");
}
