using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RfmFast.Cli;

/// <summary>One UCI-121 dataset folder as laid out by Fernández-Delgado et al. (see the data's FORMAT.md):
/// <c>&lt;name&gt;.txt</c> (metadata), the data file named by its <c>fich1=</c> key (row number, d features,
/// label; tab-separated, with a header), <c>conxuntos.dat</c> (the tuning split: train, validation) and
/// <c>conxuntos_kfold.dat</c> (4 train/test pairs). Only fich1 is read, as the protocol does.</summary>
sealed class UciDataset
{
    public required string Name { get; init; }

    /// <summary>The samples, n x d, row-major.</summary>
    public required float[] X { get; init; }

    /// <summary>The labels, 0..c-1.</summary>
    public required int[] Y { get; init; }

    public int N => Y.Length;

    public required int D { get; init; }

    /// <summary>The class count from the metadata (n_clases).</summary>
    public required int Classes { get; init; }

    public required int[] TuneTrain { get; init; }

    public required int[] TuneValidation { get; init; }

    /// <summary>The 4 evaluation splits (train, test).</summary>
    public required (int[] Train, int[] Test)[] Folds { get; init; }

    /// <summary>The dataset folders under <paramref name="dir"/>: DIR itself if it holds DIR/&lt;name&gt;.txt,
    /// else every sub-folder that holds &lt;sub&gt;/&lt;sub&gt;.txt, sorted by name (ordinal).</summary>
    public static List<string> Find(string dir)
    {
        if (!Directory.Exists(dir))
            throw new CliException(File.Exists(dir) ? $"{dir}: is a file; expected a folder of UCI datasets" : $"{dir}: no such folder");
        string full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(Path.Combine(full, Path.GetFileName(full) + ".txt")))
            return [full];
        var found = Directory.GetDirectories(full)
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".txt")))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToList();
        if (found.Count == 0)
            throw new CliException($"{dir}: no UCI dataset folders (expected <name>/<name>.txt inside)");
        return found;
    }

    /// <summary>The metadata of a dataset folder: key (without the '=') to value.</summary>
    public static Dictionary<string, string> ReadMeta(string folder)
    {
        string name = Path.GetFileName(folder);
        string path = Path.Combine(folder, name + ".txt");
        if (!File.Exists(path))
            throw new CliException($"{path}: no such file");
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0].EndsWith('='))
                meta[parts[0].TrimEnd('=')] = parts[1];
        }
        return meta;
    }

    public static int MetaInt(Dictionary<string, string> meta, string key, string folder)
    {
        if (!meta.TryGetValue(key, out string? s) || !int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < 0)
            throw new CliException($"{Path.Combine(folder, Path.GetFileName(folder) + ".txt")}: missing or bad '{key}='");
        return v;
    }

    /// <summary>Reads and checks a dataset folder.</summary>
    public static UciDataset Load(string folder)
    {
        string name = Path.GetFileName(folder);
        var meta = ReadMeta(folder);
        int d = MetaInt(meta, "n_entradas", folder);
        int c = MetaInt(meta, "n_clases", folder);
        string dataFile = meta.TryGetValue("fich1", out string? f) ? f : name + "_R.dat";
        string dataPath = Path.Combine(folder, dataFile);

        var table = CsvTable.Read(dataPath, '\t');
        if (table.Columns.Length != d + 2)
            throw new CliException($"{dataPath}: {table.Columns.Length} columns; expected d + 2 = {d + 2} (row number, {d} features, label)");
        int n = table.Rows.Count;
        if (meta.TryGetValue("n_patrons1", out _) && MetaInt(meta, "n_patrons1", folder) != n)
            throw new CliException($"{dataPath}: {n} data rows, but the metadata says n_patrons1= {meta["n_patrons1"]}");
        var x = new float[n * d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                x[i * d + j] = table.Number(i, j + 1);
            float label = table.Number(i, d + 1);
            if (label != MathF.Round(label) || label < 0 || label >= c)
                throw new CliException($"{dataPath} line {table.Lines[i]}: label {label} is not an integer in 0..{c - 1}");
            y[i] = (int)label;
        }

        var tune = ReadSplit(Path.Combine(folder, "conxuntos.dat"), 2, n);
        var kfold = ReadSplit(Path.Combine(folder, "conxuntos_kfold.dat"), 8, n);
        var folds = new (int[], int[])[4];
        for (int r = 0; r < 4; r++)
            folds[r] = (kfold[2 * r], kfold[2 * r + 1]);
        return new UciDataset
        {
            Name = name, X = x, Y = y, D = d, Classes = c,
            TuneTrain = tune[0], TuneValidation = tune[1], Folds = folds,
        };
    }

    /// <summary>A split file: <paramref name="lines"/> lines of whitespace-separated 0-based row indices.</summary>
    static int[][] ReadSplit(string path, int lines, int n)
    {
        if (!File.Exists(path))
            throw new CliException($"{path}: no such file");
        var text = File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
        if (text.Length < lines)
            throw new CliException($"{path}: {text.Length} lines of indices; expected {lines}");
        var result = new int[lines][];
        for (int k = 0; k < lines; k++)
        {
            var parts = text[k].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var idx = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out idx[i]) || idx[i] < 0 || idx[i] >= n)
                    throw new CliException($"{path} line {k + 1}: '{parts[i]}' is not a row index in 0..{n - 1}");
            }
            if (idx.Length == 0)
                throw new CliException($"{path} line {k + 1}: no indices");
            result[k] = idx;
        }
        return result;
    }
}
