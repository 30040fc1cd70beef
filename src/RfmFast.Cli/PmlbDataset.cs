using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using nietras.SeparatedValues;

namespace RfmFast.Cli;

/// <summary>One PMLB dataset as laid out in <c>../shared/data/pmlb</c>: <c>NAME/NAME.tsv.gz</c>, a
/// gzip-compressed tab-separated file with a header row whose last column, <c>target</c>, is the response and
/// every other column a numeric feature (raw, not standardised). For a classification dataset the target holds integer
/// class codes (<see cref="IntLabels"/>).</summary>
sealed class PmlbDataset
{
    public required string Name { get; init; }

    /// <summary>n x d, row-major, as in the file.</summary>
    public required float[] X { get; init; }

    /// <summary>The response (regression) or the class codes (classification), n values.</summary>
    public required double[] Y { get; init; }

    public int D { get; init; }

    public int N => Y.Length;

    /// <summary>The names of the real (not synthetic) regression datasets of a PMLB folder, from its
    /// <c>MANIFEST.tsv</c> (columns <c>dataset</c>, <c>task</c>, <c>synthetic</c>), in the manifest's order.</summary>
    public static List<(string Name, int N)> RealRegression(string dir) =>
        FromManifest(dir, (task, synthetic) => task == "regression" && synthetic == "no");

    /// <summary>The names of every classification dataset of a PMLB folder (synthetic ones included), from its
    /// <c>MANIFEST.tsv</c>, in the manifest's order.</summary>
    public static List<(string Name, int N)> Classification(string dir) =>
        FromManifest(dir, (task, _) => task == "classification");

    /// <summary>The rows of <c>MANIFEST.tsv</c> whose (task, synthetic) cells pass <paramref name="keep"/>, with
    /// their <c>n_samples</c> (<see cref="int.MaxValue"/> when it is not a number).</summary>
    static List<(string Name, int N)> FromManifest(string dir, Func<string, string, bool> keep)
    {
        string manifest = Path.Combine(dir, "MANIFEST.tsv");
        if (!Directory.Exists(dir))
            throw new CliException($"{dir}: no such folder");
        if (!File.Exists(manifest))
            throw new CliException($"{dir}: no MANIFEST.tsv (expected a PMLB folder laid out like ../shared/data/pmlb)");
        var t = CsvTable.Read(manifest, '\t');
        int name = t.IndexOf("dataset"), task = t.IndexOf("task"), synthetic = t.IndexOf("synthetic"), n = t.IndexOf("n_samples");
        var r = new List<(string, int)>();
        foreach (var row in t.Rows)
        {
            if (keep(row[task], row[synthetic]))
                r.Add((row[name], int.TryParse(row[n], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : int.MaxValue));
        }
        return r;
    }

    /// <summary>The target as integer class labels: PMLB codes classes as integers (written <c>0</c>, <c>1</c>, or
    /// <c>-1.0</c>, <c>1.0</c>). A value that is not an integer in the range of <see cref="int"/> is a
    /// <see cref="CliException"/> naming its file line (the header is line 1), as is a target with a single class.</summary>
    public int[] IntLabels()
    {
        var labels = new int[Y.Length];
        var seen = new HashSet<int>();
        for (int i = 0; i < Y.Length; i++)
        {
            double v = Y[i];
            if (v != Math.Round(v) || v < int.MinValue || v > int.MaxValue)
                throw new CliException($"line {i + 2}: the target {v.ToString("R", CultureInfo.InvariantCulture)} is not an integer class code");
            labels[i] = (int)v;
            seen.Add(labels[i]);
        }
        if (seen.Count < 2)
            throw new CliException("the target has a single class; classification needs at least 2");
        return labels;
    }

    /// <summary>The rows with the given indices as an idx.Length x d matrix.</summary>
    public float[,] Rows(int[] idx)
    {
        var r = new float[idx.Length, D];
        for (int i = 0; i < idx.Length; i++)
            for (int j = 0; j < D; j++)
                r[i, j] = X[(long)idx[i] * D + j];
        return r;
    }

    /// <summary>Reads <c>DIR/NAME/NAME.tsv.gz</c>. A missing file, a header without a last <c>target</c> column,
    /// a ragged row or a cell that is not a finite number is a <see cref="CliException"/>.</summary>
    public static PmlbDataset Load(string dir, string name)
    {
        string path = Path.Combine(dir, name, name + ".tsv.gz");
        if (!File.Exists(path))
            throw new CliException($"{path}: no such file");
        string text;
        try
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var sr = new StreamReader(gz);
            text = sr.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw new CliException($"{path}: not a gzip file ({e.Message})");
        }
        using var reader = new SepReaderOptions(new Sep('\t')) { HasHeader = true, DisableColCountCheck = true }.FromText(text);
        string[] columns = [.. reader.Header.ColNames];
        if (columns.Length < 2 || columns[^1] != "target")
            throw new CliException($"{path}: the last column must be 'target' and at least one feature must precede it");
        int d = columns.Length - 1;
        var x = new List<float>();
        var y = new List<double>();
        foreach (var row in reader)
        {
            if (row.ColCount != columns.Length)
                throw new CliException($"{path}: line {row.LineNumberFrom} has {row.ColCount} cells, the header has {columns.Length}");
            for (int j = 0; j <= d; j++)
            {
                var cell = row[j].Span;
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new CliException($"{path}: line {row.LineNumberFrom}, column '{columns[j]}': '{cell.ToString()}' is not a finite number");
                if (j < d)
                    x.Add((float)v);
                else
                    y.Add(v);
            }
        }
        if (y.Count < 10)
            throw new CliException($"{path}: {y.Count} rows; the protocol needs at least 10");
        return new PmlbDataset { Name = name, X = [.. x], Y = [.. y], D = d };
    }
}
