using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RfmFast.Core;

/// <summary>
/// A writable row-major matrix over a span: <see cref="Rows"/> x <see cref="Cols"/>, row i starting at
/// element i * <see cref="Ld"/>.
/// </summary>
/// <remarks>
/// <para>The leading dimension follows BLAS: it is the distance between the starts of two rows, so
/// <c>Ld &gt;= Cols</c>. (CommunityToolkit's Span2D counts instead the <em>pitch</em>, the gap after a row:
/// Ld = width + pitch.)</para>
/// <code>
///   data: [ a00 a01 a02 . . | a10 a11 a12 . . | a20 ... ]     Rows = 3, Cols = 3, Ld = 5
///           &lt;-- Cols --&gt;
///           &lt;------ Ld -----&gt;
/// </code>
/// <para>The span only has to reach the last element of the last row: (Rows - 1) * Ld + Cols.</para>
/// </remarks>
/// <typeparam name="T">The element type; the core's routines take float and double.</typeparam>
public readonly ref struct MatrixView<T>
{
    readonly Span<T> _data;

    /// <summary>Wraps <paramref name="data"/> as a <paramref name="rows"/> x <paramref name="cols"/> matrix
    /// with leading dimension <paramref name="ld"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative size, <paramref name="ld"/> below
    /// <paramref name="cols"/> (or below 1), or a span too short for the shape.</exception>
    public MatrixView(Span<T> data, int rows, int cols, int ld)
    {
        MatrixShape.Validate(data.Length, rows, cols, ld);
        _data = data;
        Rows = rows;
        Cols = cols;
        Ld = ld;
    }

    /// <summary>Wraps a dense matrix: the leading dimension is <paramref name="cols"/>.</summary>
    public MatrixView(Span<T> data, int rows, int cols) : this(data, rows, cols, Math.Max(cols, 1)) { }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of columns.</summary>
    public int Cols { get; }

    /// <summary>The leading dimension: elements from the start of one row to the start of the next.</summary>
    public int Ld { get; }

    /// <summary>The underlying span, starting at element (0, 0).</summary>
    public Span<T> Data => _data;

    /// <summary>Element (i, j), bounds-checked.</summary>
    public ref T this[int i, int j]
    {
        get
        {
            if ((uint)i >= (uint)Rows) ThrowHelper.ArgumentOutOfRange(nameof(i), "Row index out of range.");
            if ((uint)j >= (uint)Cols) ThrowHelper.ArgumentOutOfRange(nameof(j), "Column index out of range.");
            return ref Unsafe.Add(ref MemoryMarshal.GetReference(_data), (nint)i * Ld + j);
        }
    }

    /// <summary>Row <paramref name="i"/> as a span of <see cref="Cols"/> elements.</summary>
    public Span<T> Row(int i)
    {
        if ((uint)i >= (uint)Rows) ThrowHelper.ArgumentOutOfRange(nameof(i), "Row index out of range.");
        return _data.Slice(i * Ld, Cols);
    }

    /// <summary>The sub-matrix of <paramref name="rows"/> x <paramref name="cols"/> starting at
    /// (<paramref name="row"/>, <paramref name="col"/>), sharing this view's memory and leading dimension.</summary>
    public MatrixView<T> Slice(int row, int col, int rows, int cols)
    {
        MatrixShape.ValidateSlice(Rows, Cols, row, col, rows, cols);
        if (rows == 0 || cols == 0)
            return new MatrixView<T>(Span<T>.Empty, rows, cols, Ld);
        int start = row * Ld + col;
        return new MatrixView<T>(_data.Slice(start, (rows - 1) * Ld + cols), rows, cols, Ld);
    }

    /// <summary>A read-only view of the same elements.</summary>
    public ReadOnlyMatrixView<T> AsReadOnly() => new(_data, Rows, Cols, Ld);

    /// <summary>Converts to the read-only view.</summary>
    public static implicit operator ReadOnlyMatrixView<T>(MatrixView<T> view) => view.AsReadOnly();
}

/// <summary>A read-only row-major matrix over a span; see <see cref="MatrixView{T}"/> for the layout.</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly ref struct ReadOnlyMatrixView<T>
{
    readonly ReadOnlySpan<T> _data;

    /// <summary>Wraps <paramref name="data"/> as a <paramref name="rows"/> x <paramref name="cols"/> matrix
    /// with leading dimension <paramref name="ld"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative size, <paramref name="ld"/> below
    /// <paramref name="cols"/> (or below 1), or a span too short for the shape.</exception>
    public ReadOnlyMatrixView(ReadOnlySpan<T> data, int rows, int cols, int ld)
    {
        MatrixShape.Validate(data.Length, rows, cols, ld);
        _data = data;
        Rows = rows;
        Cols = cols;
        Ld = ld;
    }

    /// <summary>Wraps a dense matrix: the leading dimension is <paramref name="cols"/>.</summary>
    public ReadOnlyMatrixView(ReadOnlySpan<T> data, int rows, int cols) : this(data, rows, cols, Math.Max(cols, 1)) { }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of columns.</summary>
    public int Cols { get; }

    /// <summary>The leading dimension.</summary>
    public int Ld { get; }

    /// <summary>The underlying span, starting at element (0, 0).</summary>
    public ReadOnlySpan<T> Data => _data;

    /// <summary>Element (i, j), bounds-checked.</summary>
    public T this[int i, int j]
    {
        get
        {
            if ((uint)i >= (uint)Rows) ThrowHelper.ArgumentOutOfRange(nameof(i), "Row index out of range.");
            if ((uint)j >= (uint)Cols) ThrowHelper.ArgumentOutOfRange(nameof(j), "Column index out of range.");
            return Unsafe.Add(ref MemoryMarshal.GetReference(_data), (nint)i * Ld + j);
        }
    }

    /// <summary>Row <paramref name="i"/> as a span of <see cref="Cols"/> elements.</summary>
    public ReadOnlySpan<T> Row(int i)
    {
        if ((uint)i >= (uint)Rows) ThrowHelper.ArgumentOutOfRange(nameof(i), "Row index out of range.");
        return _data.Slice(i * Ld, Cols);
    }

    /// <summary>The sub-matrix starting at (<paramref name="row"/>, <paramref name="col"/>).</summary>
    public ReadOnlyMatrixView<T> Slice(int row, int col, int rows, int cols)
    {
        MatrixShape.ValidateSlice(Rows, Cols, row, col, rows, cols);
        if (rows == 0 || cols == 0)
            return new ReadOnlyMatrixView<T>(ReadOnlySpan<T>.Empty, rows, cols, Ld);
        int start = row * Ld + col;
        return new ReadOnlyMatrixView<T>(_data.Slice(start, (rows - 1) * Ld + cols), rows, cols, Ld);
    }
}

/// <summary>The shape checks shared by both views.</summary>
static class MatrixShape
{
    public static void Validate(int length, int rows, int cols, int ld)
    {
        if (rows < 0) ThrowHelper.ArgumentOutOfRange(nameof(rows), "Rows must be non-negative.");
        if (cols < 0) ThrowHelper.ArgumentOutOfRange(nameof(cols), "Cols must be non-negative.");
        if (ld < Math.Max(cols, 1)) ThrowHelper.ArgumentOutOfRange(nameof(ld), $"Ld ({ld}) must be at least max(Cols, 1) ({Math.Max(cols, 1)}).");
        if (rows > 0 && cols > 0 && (long)(rows - 1) * ld + cols > length)
            ThrowHelper.ArgumentOutOfRange("data", $"A {rows} x {cols} matrix with Ld {ld} needs {(long)(rows - 1) * ld + cols} elements; the span has {length}.");
    }

    public static void ValidateSlice(int parentRows, int parentCols, int row, int col, int rows, int cols)
    {
        if ((uint)row > (uint)parentRows || (uint)rows > (uint)(parentRows - row))
            ThrowHelper.ArgumentOutOfRange(nameof(rows), "The row range is outside the matrix.");
        if ((uint)col > (uint)parentCols || (uint)cols > (uint)(parentCols - col))
            ThrowHelper.ArgumentOutOfRange(nameof(cols), "The column range is outside the matrix.");
    }
}
