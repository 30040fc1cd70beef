using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace RfmFast.Cli;

/// <summary><c>rfm predict MODEL DATA [--proba] --out FILE</c>: loads a model saved by <c>rfm fit --out</c>, reads
/// the feature columns it was fitted on (by name, in any order; the target column may be present or not),
/// and writes one prediction per row.</summary>
static class PredictCommand
{
    public static int Run(string modelPath, string dataPath, bool proba, string outPath, TextWriter o)
    {
        RfmModel model = ModelFileArgument.Load(modelPath);
        if (model.FeatureNames.Count != model.Features)
            throw new CliException($"{modelPath}: the model has no feature column names; save it with them (rfm fit --out does)");
        if (proba && model is not RfmClassifierModel)
            throw new CliException($"--proba needs a classification model; {modelPath} is a regression model");
        var table = CsvTable.Read(dataPath);
        string[] features = [.. model.FeatureNames];
        var cols = new int[features.Length];
        for (int k = 0; k < features.Length; k++)
        {
            cols[k] = Array.IndexOf(table.Columns, features[k]);
            if (cols[k] < 0)
                throw new CliException($"{dataPath}: no column '{features[k]}' (the model was fitted on it)");
        }
        int n = table.Rows.Count, d = features.Length;
        var categorical = model.Preprocessing.CategoryNames;
        var x = new float[n, d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
                x[i, k] = categorical.ContainsKey(k) ? (float)model.CategoryCode(k, table.Rows[i][cols[k]]) : table.Number(i, cols[k]);
        var sb = new StringBuilder();
        if (model is RfmClassifierModel cm)
        {
            if (proba)
            {
                var p = cm.PredictProba(x);
                sb.AppendLine(string.Join(',', cm.ClassNames.Select(Quote)));
                for (int i = 0; i < n; i++)
                {
                    for (int k = 0; k < cm.ClassNames.Count; k++)
                        sb.Append(k == 0 ? "" : ",").Append(p[i, k].ToString("R", CultureInfo.InvariantCulture));
                    sb.AppendLine();
                }
            }
            else
            {
                sb.AppendLine("prediction");
                foreach (string label in cm.PredictLabels(x))
                    sb.AppendLine(Quote(label));
            }
        }
        else
        {
            var raw = model.PredictRaw(x);
            sb.AppendLine("prediction");
            for (int i = 0; i < n; i++)
                sb.AppendLine(raw[i, 0].ToString("R", CultureInfo.InvariantCulture));
        }
        string? dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        File.WriteAllText(outPath, sb.ToString());
        o.WriteLine($"{n} prediction(s) of '{model.TargetName}' written to {outPath}" + (proba ? " (class probabilities)" : ""));
        return 0;
    }

    /// <summary>A CSV cell: quoted when it holds a separator, a quote or a line break.</summary>
    static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
