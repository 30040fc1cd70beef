using System;
using System.Collections.Generic;

namespace RfmFast;

/// <summary>Seeded splits of row indices into a kept part and a held-out part (for validation or test).</summary>
public static class DataSplit
{
    /// <summary>A seeded random split: round(n <paramref name="fraction"/>) rows (at least 1, at most n - 1) are
    /// held out. Both parts are sorted ascending. The same (n, fraction, seed) always gives the same split.</summary>
    /// <exception cref="ArgumentOutOfRangeException">n below 2, or a fraction outside (0, 1).</exception>
    public static (int[] Kept, int[] HeldOut) Random(int n, double fraction, int seed)
    {
        Check(n, fraction);
        var order = Shuffled(n, seed);
        int held = Math.Clamp((int)Math.Round(n * fraction), 1, n - 1);
        var heldOut = order[..held];
        var kept = order[held..];
        Array.Sort(heldOut);
        Array.Sort(kept);
        return (kept, heldOut);
    }

    /// <summary>A seeded stratified split: each class gives round(its size x <paramref name="fraction"/>) rows to the
    /// held-out part (a class of one row stays in the kept part), so both parts keep the class proportions.
    /// Both parts are sorted ascending.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 labels, or a fraction outside (0, 1).</exception>
    public static (int[] Kept, int[] HeldOut) Stratified<TLabel>(TLabel[] labels, double fraction, int seed) where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(labels);
        Check(labels.Length, fraction);
        var byClass = new Dictionary<TLabel, List<int>>();
        var order = new List<TLabel>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!byClass.TryGetValue(labels[i], out var rows))
            {
                byClass[labels[i]] = rows = [];
                order.Add(labels[i]);
            }
            rows.Add(i);
        }
        var rng = new System.Random(seed);
        var kept = new List<int>(labels.Length);
        var heldOut = new List<int>();
        foreach (TLabel label in order)
        {
            int[] rows = [.. byClass[label]];
            rng.Shuffle(rows);
            int held = rows.Length < 2 ? 0 : Math.Clamp((int)Math.Round(rows.Length * fraction), 1, rows.Length - 1);
            heldOut.AddRange(rows.AsSpan(0, held));
            kept.AddRange(rows.AsSpan(held));
        }
        int[] k = [.. kept], h = [.. heldOut];
        Array.Sort(k);
        Array.Sort(h);
        return (k, h);
    }

    /// <summary>The rows of <paramref name="x"/> with the given indices, copied.</summary>
    /// <exception cref="IndexOutOfRangeException">An index is out of range.</exception>
    public static T[,] Rows<T>(T[,] x, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        int d = x.GetLength(1);
        var r = new T[rows.Length, d];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < d; j++)
                r[i, j] = x[rows[i], j];
        return r;
    }

    /// <summary>The entries of <paramref name="v"/> with the given indices, copied.</summary>
    public static T[] Rows<T>(T[] v, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(rows);
        return Array.ConvertAll(rows, i => v[i]);
    }

    static void Check(int n, double fraction)
    {
        if (n < 2)
            throw new ArgumentOutOfRangeException(nameof(n), n, "A split needs at least 2 rows.");
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be in (0, 1).");
    }

    /// <summary>0..n-1 in a seeded random order.</summary>
    internal static int[] Shuffled(int n, int seed)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        new System.Random(seed).Shuffle(order);
        return order;
    }
}
