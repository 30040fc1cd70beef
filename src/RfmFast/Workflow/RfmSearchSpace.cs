using System;
using System.Collections.Generic;

namespace RfmFast;

/// <summary>
/// The candidate values of a hyper-parameter search (<see cref="RfmSearch"/>), applied on top of a base
/// <see cref="RfmOptions"/>. Each list left null means the base options' value only. <see cref="Grid"/> lists
/// every combination, <see cref="Sample"/> a seeded random subset of them.
/// </summary>
/// <remarks>Grid order is bandwidth-major, in the order of the properties here: <see cref="Bandwidths"/> varies
/// slowest, then <see cref="Regs"/>, <see cref="Kernels"/>, <see cref="Exponents"/>, <see cref="DiagonalMetric"/>,
/// <see cref="CenterGradients"/>, <see cref="Normalizations"/>, and <see cref="NormalizeRows"/> fastest; each
/// list in the order given. Values are not checked here: a candidate with an invalid value fails when it is
/// fitted and is recorded as failed.</remarks>
public sealed record RfmSearchSpace
{
    /// <summary>Bandwidths L (<see cref="RfmOptions.Bandwidth"/>).</summary>
    public IReadOnlyList<double>? Bandwidths { get; init; }

    /// <summary>Ridge values (<see cref="RfmOptions.Reg"/>).</summary>
    public IReadOnlyList<double>? Regs { get; init; }

    /// <summary>Kernels (<see cref="RfmOptions.Kernel"/>).</summary>
    public IReadOnlyList<RfmKernel>? Kernels { get; init; }

    /// <summary>Exponents q (<see cref="RfmOptions.Exponent"/>), used only with
    /// <see cref="RfmKernel.GeneralizedLaplace"/>: other kernels have no exponent, so they are listed once, with
    /// the base options' exponent.</summary>
    public IReadOnlyList<double>? Exponents { get; init; }

    /// <summary>Whether M is diagonal (<see cref="RfmOptions.DiagonalMetric"/>).</summary>
    public IReadOnlyList<bool>? DiagonalMetric { get; init; }

    /// <summary>Whether gradients are centred (<see cref="RfmOptions.CenterGradients"/>).</summary>
    public IReadOnlyList<bool>? CenterGradients { get; init; }

    /// <summary>Metric normalizations (<see cref="RfmOptions.Normalization"/>).</summary>
    public IReadOnlyList<MetricNormalization>? Normalizations { get; init; }

    /// <summary>Row normalisation (<see cref="Preprocessing.NormalizeRows"/> of the base options'
    /// <see cref="RfmOptions.Preprocessing"/>).</summary>
    public IReadOnlyList<bool>? NormalizeRows { get; init; }

    /// <summary>Every combination of the candidate values, in grid order (see the remarks of
    /// <see cref="RfmSearchSpace"/>): each is <paramref name="baseOptions"/> with those values set.</summary>
    /// <param name="baseOptions">The settings every candidate starts from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="baseOptions"/> or its preprocessing is null.</exception>
    /// <exception cref="ArgumentException">A list is empty (leave it null for the base value).</exception>
    public IReadOnlyList<RfmOptions> Grid(RfmOptions baseOptions)
    {
        ArgumentNullException.ThrowIfNull(baseOptions);
        ArgumentNullException.ThrowIfNull(baseOptions.Preprocessing, nameof(baseOptions));
        var b = baseOptions;
        var bandwidths = Values(Bandwidths, b.Bandwidth, nameof(Bandwidths));
        var regs = Values(Regs, b.Reg, nameof(Regs));
        var kernels = Values(Kernels, b.Kernel, nameof(Kernels));
        var exponents = Values(Exponents, b.Exponent, nameof(Exponents));
        var diagonal = Values(DiagonalMetric, b.DiagonalMetric, nameof(DiagonalMetric));
        var center = Values(CenterGradients, b.CenterGradients, nameof(CenterGradients));
        var normalizations = Values(Normalizations, b.Normalization, nameof(Normalizations));
        var rows = Values(NormalizeRows, b.Preprocessing.NormalizeRows, nameof(NormalizeRows));
        IReadOnlyList<double> noExponent = [b.Exponent];

        var grid = new List<RfmOptions>();
        foreach (double bandwidth in bandwidths)
            foreach (double reg in regs)
                foreach (RfmKernel kernel in kernels)
                    foreach (double exponent in kernel == RfmKernel.GeneralizedLaplace ? exponents : noExponent)
                        foreach (bool diag in diagonal)
                            foreach (bool centerGradients in center)
                                foreach (MetricNormalization normalization in normalizations)
                                    foreach (bool normalizeRows in rows)
                                        grid.Add(b with
                                        {
                                            Bandwidth = bandwidth, Reg = reg, Kernel = kernel, Exponent = exponent,
                                            DiagonalMetric = diag, CenterGradients = centerGradients, Normalization = normalization,
                                            Preprocessing = normalizeRows == b.Preprocessing.NormalizeRows
                                                ? b.Preprocessing : b.Preprocessing with { NormalizeRows = normalizeRows },
                                        });
        return grid;
    }

    /// <summary>A seeded random sample of <paramref name="count"/> distinct combinations of <see cref="Grid"/>
    /// (every combination when the grid has no more), in the order drawn: a search over it breaks ties in that
    /// order. The same space, base options, count and seed always give the same sample.</summary>
    /// <param name="baseOptions">The settings every candidate starts from.</param>
    /// <param name="count">How many combinations to draw; positive.</param>
    /// <param name="seed">The seed of the draw.</param>
    /// <exception cref="ArgumentNullException"><paramref name="baseOptions"/> or its preprocessing is null.</exception>
    /// <exception cref="ArgumentException">A list is empty (leave it null for the base value).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    public IReadOnlyList<RfmOptions> Sample(RfmOptions baseOptions, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var grid = Grid(baseOptions);
        var order = new int[grid.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        // A partial Fisher-Yates shuffle: the first k positions are a uniform draw without replacement.
        var rng = new Random(seed);
        int k = Math.Min(count, order.Length);
        var sample = new RfmOptions[k];
        for (int i = 0; i < k; i++)
        {
            int j = rng.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
            sample[i] = grid[order[i]];
        }
        return sample;
    }

    static IReadOnlyList<T> Values<T>(IReadOnlyList<T>? values, T baseValue, string name)
    {
        if (values is null)
            return [baseValue];
        if (values.Count == 0)
            throw new ArgumentException($"{name} is empty; leave it null to keep the base options' value.", name);
        return values;
    }
}
