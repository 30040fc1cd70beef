using System;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RfmFast.Bench;

/// <summary>
/// GFLOP/s = flops of one call / mean time of one call, where the flops come from the benchmark class's
/// <see cref="IFlopModel.Flops"/> (classes without one show "-"). Mean, not median or min, so the column
/// agrees with BenchmarkDotNet's Mean column next to it.
/// </summary>
sealed class GflopsColumn : IColumn
{
    public static readonly GflopsColumn Instance = new();

    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point operations of one call (see FlopModel.cs) / Mean, in 1e9 per second";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? flops = FlopsOf(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (flops is not double f || meanNs is not double ns || ns <= 0)
            return "-";
        return (f / ns).ToString("F1", CultureInfo.InvariantCulture); // flops per ns = GFLOP/s
    }

    static double? FlopsOf(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        if (!typeof(IFlopModel).IsAssignableFrom(type))
            return null;
        MethodInfo? method = type.GetMethod(nameof(IFlopModel.Flops), BindingFlags.Public | BindingFlags.Static,
            [typeof(BenchmarkCase)]);
        return method?.Invoke(null, [benchmarkCase]) is double d ? d : null;
    }

    public override string ToString() => ColumnName;
}
