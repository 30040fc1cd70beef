using System;
using System.Numerics;
using RfmFast.Core;

namespace RfmFast.Bench;

/// <summary>
/// A row-major matrix in the core's 64-byte-aligned pooled native memory, filled once with reproducible
/// values. Benchmarks allocate these in [GlobalSetup] and dispose them in [GlobalCleanup], so the timed
/// calls allocate nothing and touch pages that are already resident.
/// </summary>
sealed class AlignedMatrix<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    PooledBuffer<T> _buffer;

    public AlignedMatrix(int rows, int cols)
    {
        Rows = rows;
        Cols = cols;
        _buffer = PooledBuffer<T>.Rent(checked(rows * cols), clear: true);
    }

    public int Rows { get; }

    public int Cols { get; }

    public Span<T> Span => _buffer.Span;

    public MatrixView<T> View => new(_buffer.Span, Rows, Cols);

    public ReadOnlyMatrixView<T> ReadOnly => new(_buffer.Span, Rows, Cols);

    /// <summary>Fills with uniform values in [-1, 1) from a fixed seed (standard normal if <paramref name="normal"/>).</summary>
    public AlignedMatrix<T> Fill(int seed, bool normal = false)
    {
        var rng = new Random(seed);
        Span<T> s = _buffer.Span;
        for (int i = 0; i < s.Length; i++)
        {
            double v = normal
                ? Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())
                : 2 * rng.NextDouble() - 1;
            s[i] = T.CreateTruncating(v);
        }
        return this;
    }

    public void Dispose() => _buffer.Dispose();
}
