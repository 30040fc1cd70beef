using System;
using System.Numerics;
using System.Runtime.InteropServices;
using RfmFast.Core;
using RfmFast.PropertyTests.References;

namespace RfmFast.PropertyTests.Infrastructure;

/// <summary>
/// Where a test matrix sits inside its parent buffer: <see cref="Row0"/> rows and <see cref="Col0"/>
/// columns of offset, <see cref="Below"/> rows and <see cref="Right"/> columns after it, and a leading
/// dimension <see cref="Pad"/> elements wider than the parent's columns. All zero: a dense matrix whose
/// span is exactly as long as it must be.
/// </summary>
public readonly record struct Placement(int Row0, int Col0, int Below, int Right, int Pad)
{
    public static Placement Dense => default;
}

/// <summary>
/// A rows x cols matrix placed inside a larger parent buffer (see <see cref="Placement"/>), reached
/// through <see cref="MatrixView{T}.Slice"/> of the parent view, as a caller with a sub-matrix would.
/// Everything in the buffer outside the matrix is filled with a sentinel so tests can check it was
/// not written.
/// </summary>
public sealed class TestMatrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public TestMatrix(int rows, int cols, Placement placement, T outside)
    {
        Rows = rows;
        Cols = cols;
        Placement = placement;
        ParentRows = rows + placement.Row0 + placement.Below;
        ParentCols = cols + placement.Col0 + placement.Right;
        Ld = Math.Max(ParentCols + placement.Pad, 1);
        Data = new T[ParentRows * Ld];
        Data.AsSpan().Fill(outside);
        Dense = new Dense<T>(Data, placement.Row0 * Ld + placement.Col0, rows, cols, Ld);
    }

    public int Rows { get; }
    public int Cols { get; }
    public int ParentRows { get; }
    public int ParentCols { get; }
    public int Ld { get; }
    public Placement Placement { get; }
    public T[] Data { get; }

    /// <summary>The same elements as the reference sees them.</summary>
    public Dense<T> Dense { get; }

    public ref T At(int i, int j) => ref Data[Dense.Offset + i * Ld + j];

    public MatrixView<T> View() =>
        new MatrixView<T>(Data, ParentRows, ParentCols, Ld).Slice(Placement.Row0, Placement.Col0, Rows, Cols);

    public ReadOnlyMatrixView<T> ReadOnly() =>
        new ReadOnlyMatrixView<T>(Data, ParentRows, ParentCols, Ld).Slice(Placement.Row0, Placement.Col0, Rows, Cols);

    /// <summary>Fills the matrix (not the rest of the buffer) with uniform values in [-1, 1).</summary>
    public TestMatrix<T> FillUniform(Random rng)
    {
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
                At(i, j) = T.CreateTruncating(rng.NextDouble() * 2 - 1);
        return this;
    }

    /// <summary>Fills the matrix with one value (NaN for the beta = 0 tests).</summary>
    public TestMatrix<T> FillWith(T value)
    {
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
                At(i, j) = value;
        return this;
    }

    /// <summary>Whether (buffer index) lies inside the matrix.</summary>
    public bool Contains(int index, out int i, out int j)
    {
        int rel = index - Dense.Offset;
        i = rel >= 0 ? rel / Ld : -1;
        j = rel >= 0 ? rel % Ld : -1;
        return rel >= 0 && i < Rows && j < Cols;
    }

    /// <summary>The matrix's values (as rounded to T) in double, for the references.</summary>
    public double[,] ToDoubles()
    {
        var r = new double[Rows, Cols];
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
                r[i, j] = double.CreateTruncating(At(i, j));
        return r;
    }

    /// <summary>A copy of the whole buffer, for the before/after comparisons.</summary>
    public T[] Snapshot() => (T[])Data.Clone();

    /// <summary>A <see cref="Dense{T}"/> over a snapshot, with the same layout.</summary>
    public Dense<T> DenseOver(T[] snapshot) => new(snapshot, Dense.Offset, Rows, Cols, Ld);

    /// <summary>True when two buffers hold the same bits (NaN payloads included).</summary>
    public static bool BitEqual(T a, T b) =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in b)));
}
