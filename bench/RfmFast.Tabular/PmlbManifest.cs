using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RfmFast.Tabular;

/// <summary>One classification row of PMLB's MANIFEST.tsv.</summary>
internal sealed record PmlbEntry(string Name, int Rows, int Features, int Classes);

/// <summary>Finds the PMLB directory and reads the classification rows of its MANIFEST.tsv.</summary>
internal static class PmlbManifest
{
    /// <summary>The directory holding RfmFast.sln, found by walking up from the current directory.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RfmFast.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException(
            $"no RfmFast.sln in {Directory.GetCurrentDirectory()} or above: run inside the repo or pass --data DIR");
    }

    /// <summary>--data if given, else ../shared/data/pmlb relative to the repo root.</summary>
    public static string DataDir(string? given) =>
        Path.GetFullPath(given ?? Path.Combine(RepoRoot(), "..", "shared", "data", "pmlb"));

    /// <summary>The rows whose task is classification, in the manifest's order.</summary>
    public static List<PmlbEntry> Classification(string dataDir)
    {
        string path = Path.Combine(dataDir, "MANIFEST.tsv");
        using var reader = new StreamReader(path);
        string[] header = (reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty")).Split('\t');
        int Col(string name) => Array.IndexOf(header, name) is int j and >= 0 ? j : throw new InvalidDataException($"{path}: no column {name}");
        int name = Col("dataset"), n = Col("n_samples"), d = Col("n_features"), k = Col("n_classes"), task = Col("task");
        var sets = new List<PmlbEntry>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] f = line.Split('\t');
            if (f[task] != "classification")
                continue;
            sets.Add(new PmlbEntry(f[name], int.Parse(f[n], CultureInfo.InvariantCulture),
                int.Parse(f[d], CultureInfo.InvariantCulture), int.Parse(f[k], CultureInfo.InvariantCulture)));
        }
        return sets;
    }

    /// <summary>The sets to run: the named ones (in the order named), else with <paramref name="quick"/> the 3 with the
    /// fewest rows (ties by name), else all.</summary>
    public static List<PmlbEntry> Select(List<PmlbEntry> all, IReadOnlyList<string>? names, bool quick)
    {
        if (names is not null)
            return [.. names.Select(s => all.Find(e => e.Name == s)
                ?? throw new ArgumentException($"--sets: {s} is not a classification set of the manifest"))];
        var bySize = all.OrderBy(e => e.Rows).ThenBy(e => e.Name, StringComparer.Ordinal);
        return quick ? [.. bySize.Take(3)] : [.. bySize];
    }
}
