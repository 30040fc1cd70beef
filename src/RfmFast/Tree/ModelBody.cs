using System;
using System.Collections.Generic;
using System.Numerics;
using RfmFast.Core;

namespace RfmFast;

/// <summary>What a model predicts with, in the kernel's space: one RFM (a single leaf, no splits) or a tree of them
/// (xRFM), with its routing.</summary>
internal sealed class ModelBody<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public ModelBody(FitState<T>[] leaves, SplitNode[] splits, double temperature)
    {
        if (leaves.Length != splits.Length + 1)
            throw new ArgumentException($"{leaves.Length} leaves for {splits.Length} splits.", nameof(leaves));
        Leaves = Array.ConvertAll(leaves, s => new ModelCore<T>(s));
        Splits = splits;
        Temperature = temperature;
    }

    public ModelBody(FitState<T> single) : this([single], [], 0)
    {
    }

    public ModelCore<T>[] Leaves { get; }

    public SplitNode[] Splits { get; }

    /// <summary>Soft routing's temperature; 0 routes hard.</summary>
    public double Temperature { get; }

    public bool IsTree => Splits.Length > 0;

    /// <summary>The single RFM's state, or the first leaf's.</summary>
    public FitState<T> First => Leaves[0].State;

    public int Outputs => First.Outputs;

    public int Encoded => First.Centers.Cols;

    /// <summary>One prediction into <paramref name="output"/> (length c); pooled scratch, no allocation.</summary>
    public void Predict(ReadOnlySpan<T> sample, Span<T> output, bool share)
    {
        if (!IsTree || Temperature == 0)
        {
            Leaves[TreeRouter.Leaf(Splits, sample)].Predict(sample, output, share);
            return;
        }
        int c = Outputs;
        using var logs = PooledBuffer<double>.Rent(Leaves.Length + 2 * TreeRouter.MaxSoftLeaves);
        using var ids = PooledBuffer<int>.Rent(TreeRouter.MaxSoftLeaves);
        using var one = PooledBuffer<T>.Rent(c);
        var weights = logs.Span.Slice(Leaves.Length, TreeRouter.MaxSoftLeaves);
        int kept = TreeRouter.Soft(Splits, Temperature, sample, logs.Span[..Leaves.Length], ids.Span, weights);
        output[..c].Clear();
        for (int k = 0; k < kept; k++)
        {
            Leaves[ids.Span[k]].Predict(sample, one.Span, share);
            T w = T.CreateTruncating(weights[k]);
            for (int q = 0; q < c; q++)
                output[q] += w * one.Span[q];
        }
    }

    /// <summary>f(q) for every row of <paramref name="q"/>, rows x c row-major: each leaf predicts the rows routed
    /// to it, in parallel blocks.</summary>
    public T[] Batch(DenseData<T> q, int workers) => Batch(q, workers, Temperature);

    /// <summary><see cref="Batch(DenseData{T}, int)"/> with a given temperature (the fit tries several).</summary>
    public T[] Batch(DenseData<T> q, int workers, double temperature)
    {
        int m = q.Rows, c = Outputs;
        if (!IsTree)
        {
            var s = First;
            return BatchPredict.Run(s.Centers, s.Alpha, c, s.Metric, s.Kernel, q, workers);
        }
        var routes = Route(q, temperature);
        var result = new T[m * c];
        for (int leaf = 0; leaf < Leaves.Length; leaf++)
        {
            var (rows, weights) = routes[leaf];
            if (rows.Count == 0)
                continue;
            var s = Leaves[leaf].State;
            var part = BatchPredict.Run(s.Centers, s.Alpha, c, s.Metric, s.Kernel, q.Take(rows.ToArray()), workers);
            for (int i = 0; i < rows.Count; i++)
            {
                T w = T.CreateTruncating(weights[i]);
                for (int k = 0; k < c; k++)
                    result[rows[i] * c + k] += w * part[i * c + k];
            }
        }
        return result;
    }

    /// <summary>Per leaf: the rows routed to it and their weights.</summary>
    (List<int> Rows, List<double> Weights)[] Route(DenseData<T> q, double temperature)
    {
        var routes = new (List<int>, List<double>)[Leaves.Length];
        for (int k = 0; k < routes.Length; k++)
            routes[k] = ([], []);
        var logs = new double[Leaves.Length];
        var ids = new int[TreeRouter.MaxSoftLeaves];
        var weights = new double[TreeRouter.MaxSoftLeaves];
        for (int i = 0; i < q.Rows; i++)
        {
            int kept = TreeRouter.Soft(Splits, temperature, q.Row(i), logs, ids, weights);
            for (int k = 0; k < kept; k++)
            {
                routes[ids[k]].Item1.Add(i);
                routes[ids[k]].Item2.Add(weights[k]);
            }
        }
        return routes;
    }
}
