using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace RfmFast.Tabular;

/// <summary>A PMLB set in memory: n x d features, the original integer labels, and the labels as class indices
/// 0..k-1 (classes in ascending order of the original label).</summary>
internal sealed class TabularData
{
    public required string Name { get; init; }
    public required float[,] X { get; init; }
    public required int[] Labels { get; init; }
    public required int[] ClassIndex { get; init; }
    public required int Classes { get; init; }

    public int Rows => X.GetLength(0);
    public int Features => X.GetLength(1);

    /// <summary>Reads DIR/NAME/NAME.tsv.gz: a header line, tab-separated numbers, the label column `target` last.</summary>
    public static TabularData Load(string dataDir, string name)
    {
        string path = Path.Combine(dataDir, name, name + ".tsv.gz");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, bufferSize: 1 << 16);
        string[] header = (reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty")).Split('\t');
        if (header[^1] != "target")
            throw new InvalidDataException($"{path}: the last column is '{header[^1]}', not 'target'");
        int d = header.Length - 1;
        var values = new List<float>(1 << 20);
        var labels = new List<int>(1 << 14);
        int lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
                continue;
            ReadOnlySpan<char> rest = line;
            for (int j = 0; j <= d; j++)
            {
                int tab = rest.IndexOf('\t');
                if ((tab < 0) != (j == d))
                    throw new InvalidDataException($"{path}:{lineNo}: expected {d + 1} fields");
                ReadOnlySpan<char> field = tab < 0 ? rest : rest[..tab];
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new InvalidDataException($"{path}:{lineNo}: field {j + 1} '{field}' is not a finite number");
                if (j < d)
                {
                    values.Add((float)v);
                    rest = rest[(tab + 1)..];
                }
                else if (v != Math.Round(v) || Math.Abs(v) > int.MaxValue)
                    throw new InvalidDataException($"{path}:{lineNo}: label '{field}' is not an integer");
                else
                    labels.Add((int)v);
            }
        }
        int n = labels.Count;
        var x = new float[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                x[i, j] = values[i * d + j];
        int[] classes = [.. labels.Distinct().Order()];
        var index = new Dictionary<int, int>();
        for (int c = 0; c < classes.Length; c++)
            index[classes[c]] = c;
        int[] y = [.. labels];
        return new TabularData { Name = name, X = x, Labels = y, ClassIndex = Array.ConvertAll(y, v => index[v]), Classes = classes.Length };
    }
}
