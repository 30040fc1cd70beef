using System;
using System.Collections.Generic;
using System.Globalization;

namespace RfmFast;

/// <summary>A classifier's labels in output order: integers (kept as such, ascending) or strings (ordinal order).</summary>
internal sealed class ClassLabels
{
    ClassLabels(int[]? ints, string[] names)
    {
        Ints = ints;
        Names = names;
    }

    /// <summary>The integer labels, or null for string labels.</summary>
    public int[]? Ints { get; }

    /// <summary>Every label as a string (integers in invariant culture).</summary>
    public string[] Names { get; }

    public int Count => Names.Length;

    public static ClassLabels FromInts(int[] labels) =>
        new(labels, Array.ConvertAll(labels, l => l.ToString(CultureInfo.InvariantCulture)));

    public static ClassLabels FromStrings(string[] labels) => new(null, labels);

    /// <summary>The distinct labels of a training set, ascending (ordinal for strings), and each row's class index.</summary>
    public static (ClassLabels Labels, int[] Codes) Learn<TLabel>(TLabel[] labels, string paramName) where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(labels, paramName);
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] is null)
                throw new ArgumentException($"{paramName}[{i}] is null.", paramName);
        var distinct = new SortedSet<TLabel>(labels, LabelComparer<TLabel>());
        if (distinct.Count < 2)
            throw new ArgumentException("Classification needs at least two distinct labels.", paramName);
        TLabel[] ordered = [.. distinct];
        var result = ordered is int[] ints ? FromInts(ints) : FromStrings((string[])(object)ordered);
        return (result, result.Codes(labels, paramName));
    }

    /// <summary>Each label's class index; a label that is not a class is an error naming its row.</summary>
    public int[] Codes<TLabel>(TLabel[] labels, string paramName) where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(labels, paramName);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < Names.Length; k++)
            index[Names[k]] = k;
        var codes = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is null)
                throw new ArgumentException($"{paramName}[{i}] is null.", paramName);
            if (!index.TryGetValue(Key(labels[i]), out codes[i]))
                throw new ArgumentException($"{paramName}[{i}]: class '{labels[i]}' does not occur in the training labels.", paramName);
        }
        return codes;
    }

    static string Key<TLabel>(TLabel label) => label switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => "",
    };

    static IComparer<TLabel> LabelComparer<TLabel>() =>
        typeof(TLabel) == typeof(string) ? (IComparer<TLabel>)StringComparer.Ordinal : Comparer<TLabel>.Default;
}
