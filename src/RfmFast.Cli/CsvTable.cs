using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using nietras.SeparatedValues;

namespace RfmFast.Cli;

/// <summary>A delimited text file with a header row, read with Sep (separator detected from the header:
/// comma, semicolon, tab or pipe), as strings. Every data row must have as many cells as the header.</summary>
sealed class CsvTable
{
    CsvTable(string path, string[] columns, List<string[]> rows, List<int> lines)
    {
        Path = path;
        Columns = columns;
        Rows = rows;
        Lines = lines;
    }

    /// <summary>The file, as given.</summary>
    public string Path { get; }

    /// <summary>The header's column names.</summary>
    public string[] Columns { get; }

    /// <summary>The data rows, each with <see cref="Columns"/>.Length cells.</summary>
    public List<string[]> Rows { get; }

    /// <summary>The 1-based line number of each data row, for messages.</summary>
    public List<int> Lines { get; }

    /// <summary>Reads the file; a missing or empty file, a ragged row or a malformed header is a <see cref="CliException"/>.</summary>
    public static CsvTable Read(string path, char? separator = null)
    {
        if (Directory.Exists(path))
            throw new CliException($"{path}: is a directory, not a data file");
        if (!File.Exists(path))
            throw new CliException($"{path}: no such file");
        var info = new FileInfo(path);
        if (info.Length == 0 || string.IsNullOrWhiteSpace(File.ReadAllText(path)))
            throw new CliException($"{path}: the file is empty");
        try
        {
            var options = new SepReaderOptions(separator is { } s ? new Sep(s) : null)
            {
                HasHeader = true,
                Unescape = true,
                Trim = SepTrim.Outer,
                DisableColCountCheck = true,
            };
            using var reader = options.FromFile(path);
            string[] columns = [.. reader.Header.ColNames];
            if (columns.Length == 0)
                throw new CliException($"{path}: no header row");
            var rows = new List<string[]>();
            var lines = new List<int>();
            foreach (var row in reader)
            {
                int line = row.LineNumberFrom;
                if (row.ColCount == 1 && row[0].Span.IsWhiteSpace())
                    continue; // a blank line
                if (row.ColCount != columns.Length)
                    throw new CliException($"{path} line {line}: {row.ColCount} cells, but the header has {columns.Length} columns");
                var cells = new string[columns.Length];
                for (int j = 0; j < cells.Length; j++)
                    cells[j] = row[j].ToString();
                rows.Add(cells);
                lines.Add(line);
            }
            if (rows.Count == 0)
                throw new CliException($"{path}: the file has a header but no data rows");
            return new CsvTable(path, columns, rows, lines);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or FormatException)
        {
            throw new CliException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The index of a column by exact name, or a <see cref="CliException"/> listing the columns.</summary>
    public int IndexOf(string column)
    {
        int j = Array.IndexOf(Columns, column);
        if (j < 0)
            throw new CliException($"{Path}: no column '{column}' (columns: {Describe(Columns)})");
        return j;
    }

    /// <summary>The cell as a finite number, or a <see cref="CliException"/> naming the line and column.</summary>
    public float Number(int row, int col)
    {
        string cell = Rows[row][col];
        if (TryNumber(cell, out float v))
            return v;
        string shown = cell.Length == 0 ? "an empty cell" : $"'{Shorten(cell)}'";
        throw new CliException($"{Path} line {Lines[row]}, column '{Columns[col]}': {shown} is not a finite number");
    }

    /// <summary>Invariant-culture parse of a finite float.</summary>
    public static bool TryNumber(string s, out float value) =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";

    static string Describe(string[] columns) =>
        columns.Length <= 12 ? string.Join(", ", columns) : string.Join(", ", columns[..12]) + $", ... ({columns.Length} in all)";
}
