using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RfmFast.Cli;

/// <summary>Invariant-culture number formats and plain-text tables.</summary>
static class Fmt
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A ridge value as the paper writes it: 10, 1, 0.1, 0.01, 0.001, 1E-05.</summary>
    public static string Reg(double reg) => reg.ToString("G6", Inv);

    public static string F(double v, int digits) => double.IsNaN(v) ? "-" : v.ToString("F" + digits.ToString(Inv), Inv);

    public static string Pct(double fraction) => F(100 * fraction, 2);

    public static string G(double v) => v.ToString("G6", Inv);

    /// <summary>Four significant digits (RMSE in a target's own units, which range over many magnitudes).</summary>
    public static string G4(double v) => double.IsNaN(v) ? "-" : v.ToString("G4", Inv);

    public static string OnOff(bool on) => on ? "on" : "off";

    /// <summary>A Markdown table (also readable as plain text): column widths padded, numbers right-aligned.</summary>
    public static string Markdown(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, IReadOnlyList<bool>? rightAlign = null)
    {
        int k = header.Count;
        var width = new int[k];
        for (int j = 0; j < k; j++)
            width[j] = Math.Max(3, Math.Max(header[j].Length, rows.Count == 0 ? 0 : rows.Max(r => r[j].Length)));
        bool Right(int j) => rightAlign is not null && rightAlign[j];
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            sb.Append('|');
            for (int j = 0; j < k; j++)
                sb.Append(' ').Append(Right(j) ? cells[j].PadLeft(width[j]) : cells[j].PadRight(width[j])).Append(" |");
            sb.Append('\n');
        }
        Line(header);
        sb.Append('|');
        for (int j = 0; j < k; j++)
            sb.Append(' ').Append(Right(j) ? new string('-', width[j] - 1) + ":" : new string('-', width[j])).Append(" |");
        sb.Append('\n');
        foreach (var r in rows)
            Line(r);
        return sb.ToString();
    }
}
