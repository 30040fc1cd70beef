using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RfmFast.Tabular;

/// <summary>One set's row: its shape and the three sides' results.</summary>
internal sealed record SetResult(PmlbEntry Set, int Rows, int Features, int Classes, SideResult Rfm, SideResult Default, SideResult Tuned);

/// <summary>The Markdown table, the means over the sets where every side ran, and the sets where RfmFast is more
/// than 1 point behind LightGBM's defaults.</summary>
internal static class ResultTable
{
    public const string Header =
        "| set | n | d | classes | RfmFast acc % | RfmFast fit s | RfmFast predict s | LightGBM default acc % | fit s | predict s | LightGBM tuned acc % | fit s (tuning incl.) | tuned leaves/rate/iters |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    public static string Row(SetResult r) =>
        $"| {r.Set.Name} | {r.Rows} | {r.Features} | {r.Classes} | {Acc(r.Rfm)} | {Sec(r.Rfm.FitSeconds)} | {Sec(r.Rfm.PredictSeconds)} " +
        $"| {Acc(r.Default)} | {Sec(r.Default.FitSeconds)} | {Sec(r.Default.PredictSeconds)} " +
        $"| {Acc(r.Tuned)} | {Sec(r.Tuned.FitSeconds)} | {(r.Tuned.Ran ? r.Tuned.Note : "-")} |";

    /// <summary>The header, one row per set and the two summary lines.</summary>
    public static string Render(IReadOnlyList<SetResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Header);
        foreach (var r in results)
            sb.AppendLine(Row(r));
        sb.AppendLine();
        var all = results.Where(r => r.Rfm.Ran && r.Default.Ran && r.Tuned.Ran).ToList();
        if (all.Count == 0)
            sb.AppendLine("mean: no set where all sides ran");
        else
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"mean over the {all.Count} set(s) where all sides ran: RfmFast {Pct(all.Average(r => r.Rfm.Accuracy))} % (fit {Sec(all.Average(r => r.Rfm.FitSeconds))} s), " +
                $"LightGBM default {Pct(all.Average(r => r.Default.Accuracy))} % (fit {Sec(all.Average(r => r.Default.FitSeconds))} s), " +
                $"LightGBM tuned {Pct(all.Average(r => r.Tuned.Accuracy))} % (fit {Sec(all.Average(r => r.Tuned.FitSeconds))} s, tuning included)");
        var behind = results.Where(r => r.Rfm.Ran && r.Default.Ran && r.Default.Accuracy - r.Rfm.Accuracy > 0.01)
            .Select(r => $"{r.Set.Name} ({Pct(r.Rfm.Accuracy - r.Default.Accuracy)} points)").ToList();
        sb.Append("RfmFast more than 1 point behind LightGBM default: ").AppendLine(behind.Count == 0 ? "none" : string.Join(", ", behind));
        return sb.ToString();
    }

    static string Acc(SideResult s) => s.Ran ? Pct(s.Accuracy) : s.Note ?? "-";

    static string Pct(double fraction) => (100 * fraction).ToString("0.00", CultureInfo.InvariantCulture);

    static string Sec(double seconds) => double.IsFinite(seconds) ? seconds.ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
