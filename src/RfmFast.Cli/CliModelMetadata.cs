using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RfmFast.Cli;

/// <summary>
/// What <c>rfm fit --out</c> keeps in the model file's metadata so that <c>rfm predict</c> can repeat the
/// preprocessing: the task, the feature standardisation, the class names (in output order) or the target's
/// mean and standard deviation (regression targets are fitted standardised).
/// </summary>
sealed record CliModelMetadata(TaskKind Task, Standardizer Scaler, string[] Classes, double TargetMean, double TargetSd)
{
    const string TaskKey = "rfm.task", MeanKey = "rfm.standardize.mean", ScaleKey = "rfm.standardize.scale";
    const string ClassesKey = "rfm.classes", TargetMeanKey = "rfm.target.mean", TargetSdKey = "rfm.target.sd";

    /// <summary>Class names are joined with the ASCII unit separator, which no CSV cell of ours contains.</summary>
    const char Separator = '\u001F';

    public Dictionary<string, string> ToDictionary() => new(StringComparer.Ordinal)
    {
        [TaskKey] = Task == TaskKind.Classification ? "classification" : "regression",
        [MeanKey] = Join(Scaler.Mean),
        [ScaleKey] = Join(Scaler.Scale),
        [ClassesKey] = string.Join(Separator, Classes),
        [TargetMeanKey] = TargetMean.ToString("R", CultureInfo.InvariantCulture),
        [TargetSdKey] = TargetSd.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Reads the metadata back; a model without it (saved by other code) is an error naming the file.</summary>
    public static CliModelMetadata From(RfmModel model, string path)
    {
        var m = model.Metadata;
        string Get(string key) => m.TryGetValue(key, out string? v) ? v
            : throw new CliException($"{path}: the model has no '{key}' entry; it was not saved by 'rfm fit --out'");
        var task = Get(TaskKey) switch
        {
            "classification" => TaskKind.Classification,
            "regression" => TaskKind.Regression,
            var t => throw new CliException($"{path}: unknown task '{t}'"),
        };
        var scaler = Standardizer.From(Numbers(Get(MeanKey), path), Numbers(Get(ScaleKey), path));
        if (scaler.Mean.Count != model.Features || model.FeatureNames.Count != model.Features)
            throw new CliException($"{path}: the model's column names or standardisation do not match its {model.Features} features");
        string classes = Get(ClassesKey);
        string[] names = classes.Length == 0 ? [] : classes.Split(Separator);
        if (task == TaskKind.Classification && names.Length != model.Outputs)
            throw new CliException($"{path}: {names.Length} class names for {model.Outputs} outputs");
        double mean = Numbers(Get(TargetMeanKey), path)[0], sd = Numbers(Get(TargetSdKey), path)[0];
        return new CliModelMetadata(task, scaler, names, mean, sd);
    }

    static string Join(IReadOnlyList<double> v) => string.Join(',', v.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));

    static double[] Numbers(string s, string path)
    {
        try
        {
            return [.. s.Split(',').Select(x => double.Parse(x, NumberStyles.Float, CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            throw new CliException($"{path}: a number in the model's metadata is malformed");
        }
    }
}
