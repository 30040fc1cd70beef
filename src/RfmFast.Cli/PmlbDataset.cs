using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using nietras.SeparatedValues;

namespace RfmFast.Cli;

/// <summary>One PMLB regression dataset as laid out in <c>../shared/data/pmlb</c>: <c>NAME/NAME.tsv.gz</c>, a
/// gzip-compressed tab-separated file with a header row whose last column, <c>target</c>, is the response and
/// every other column a numeric feature (raw, not standardised).</summary>
sealed class PmlbDataset
{
    public required string Name { get; init; }

    /// <summary>n x d, row-major, as in the file.</summary>
    public required float[] X { get; init; }

    /// <summary>The response, n values.</summary>
    public required double[] Y { get; init; }

    public int D { get; init; }

    public int N => Y.Length;

    /// <summary>The names of the real (not synthetic) regression datasets of a PMLB folder, from its
    /// <c>MANIFEST.tsv</c> (columns <c>dataset</c>, <c>task</c>, <c>synthetic</c>), in the manifest's order.</summary>
    public static List<(string Name, int N)> RealRegression(string dir)
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
            if (row[task] == "regression" && row[synthetic] == "no")
                r.Add((row[name], int.TryParse(row[n], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : int.MaxValue));
        }
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
