using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using RfmFast;
using RfmFast.AotSample;
using RfmFast.Core;

// rfm-predict-aot MODEL [CSV]: loads a model saved by RfmModel.Save (or `rfm fit --out`), predicts the rows of CSV
// (numbers only, a header row, the model's feature columns in the model's order) or one sample of zeros, and
// prints the SIMD tier, the predictions and the time from process start to the first prediction.
long mainEntered = Stopwatch.GetTimestamp();
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: rfm-predict-aot MODEL [CSV]");
    return 2;
}
try
{
    var model = RfmModel.Load(args[0]);
    float[][] rows = args.Length == 2 ? ReadRows(args[1], model.Features) : [new float[model.Features]];
    var output = new float[model.Outputs];
    model.PredictRaw(rows[0], output);
    var (sinceStart, source) = LaunchClock.SinceStart();
    var inMain = Stopwatch.GetElapsedTime(mainEntered);
    Console.WriteLine($"tier {Isa.Best}; model: {model.Centers} centers, {model.Features} features, {model.Outputs} output(s), {model.Precision}");
    Console.WriteLine($"start to first prediction: {Ms(sinceStart)} ms ({source}); in Main (load, predict): {Ms(inMain)} ms");
    for (int i = 0; i < rows.Length; i++)
    {
        if (i > 0)
            model.PredictRaw(rows[i], output);
        Console.WriteLine($"row {i}: {string.Join(' ', Array.ConvertAll(output, v => v.ToString("G6", CultureInfo.InvariantCulture)))}");
    }
    return 0;
}
catch (Exception e) when (e is IOException or RfmModelFormatException or FormatException or ArgumentException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"rfm-predict-aot: {e.Message}");
    return 1;
}

static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);

static float[][] ReadRows(string path, int d)
{
    string[] lines = File.ReadAllLines(path);
    var rows = new float[Math.Max(0, lines.Length - 1)][];
    for (int i = 1; i < lines.Length; i++)
    {
        string[] cells = lines[i].Split(',');
        if (cells.Length != d)
            throw new FormatException($"{path} line {i + 1}: {cells.Length} values, the model has {d} features");
        rows[i - 1] = Array.ConvertAll(cells, c => float.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture));
    }
    if (rows.Length == 0)
        throw new FormatException($"{path}: no data rows");
    return rows;
}
