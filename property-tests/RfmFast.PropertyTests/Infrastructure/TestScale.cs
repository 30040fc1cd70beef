using System;
using System.Globalization;

namespace RfmFast.PropertyTests.Infrastructure;

/// <summary>
/// Scales the number of generated cases: <c>RFMFAST_TEST_SCALE=0.25</c> runs a quarter of them (used
/// under qemu emulation, which is 10-50 times slower), <c>4</c> runs four times as many. Unset means 1.
/// A value that does not parse is an error, not silently the default.
/// </summary>
public static class TestScale
{
    public const string Variable = "RFMFAST_TEST_SCALE";

    public static double Factor { get; } = Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary><paramref name="n"/> scaled, at least 1.</summary>
    public static int Count(int n) => Math.Max(1, (int)Math.Ceiling(n * Factor));

    internal static double Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return 1.0;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f > 0 && f <= 100)
            return f;
        throw new InvalidOperationException($"{Variable}='{value}' is not a number in (0, 100].");
    }
}
