using System;
using System.Numerics;
using CommunityToolkit.HighPerformance;

namespace RfmFast;

/// <summary>A row-major copy of caller data in the fit's precision, validated: the estimators never keep or
/// modify the caller's arrays.</summary>
internal sealed class DenseData<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public DenseData(T[] values, int rows, int cols)
    {
        Values = values;
        Rows = rows;
        Cols = cols;
    }

    public T[] Values { get; }
    public int Rows { get; }
    public int Cols { get; }

    public ReadOnlySpan<T> Row(int i) => Values.AsSpan(i * Cols, Cols);

    /// <summary>Copies a 2-D array (float or double) into this precision, rejecting empty input and NaN or
    /// infinity with the argument's name.</summary>
    public static DenseData<T> From<TIn>(TIn[,] x, string paramName, bool allowEmpty = false)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        ArgumentNullException.ThrowIfNull(x, paramName);
        int rows = x.GetLength(0), cols = x.GetLength(1);
        if (!allowEmpty && (rows == 0 || cols == 0))
            throw new ArgumentException($"{paramName} is empty ({rows} x {cols}).", paramName);
        var v = new T[checked(rows * cols)];
        int k = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                TIn f = x[i, j];
                if (!TIn.IsFinite(f))
                    throw new ArgumentException($"{paramName}[{i}, {j}] is {f}; the data must be finite.", paramName);
                v[k++] = T.CreateTruncating(f);
            }
        }
        return new DenseData<T>(v, rows, cols);
    }

    /// <summary>Copies a 2-D span (any strides: a sub-view of a larger matrix is fine), like <see cref="From{TIn}(TIn[,], string, bool)"/>.</summary>
    public static DenseData<T> From<TIn>(ReadOnlySpan2D<TIn> x, string paramName, bool allowEmpty = false)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        int rows = x.Height, cols = x.Width;
        if (!allowEmpty && (rows == 0 || cols == 0))
            throw new ArgumentException($"{paramName} is empty ({rows} x {cols}).", paramName);
        var v = new T[checked(rows * cols)];
        for (int i = 0; i < rows; i++)
            Convert(x.GetRowSpan(i), v.AsSpan(i * cols, cols), i, paramName);
        return new DenseData<T>(v, rows, cols);
    }

    /// <summary>Copies a jagged array; every row must have the first row's length.</summary>
    public static DenseData<T> From<TIn>(TIn[][] x, string paramName, bool allowEmpty = false)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        ArgumentNullException.ThrowIfNull(x, paramName);
        int rows = x.Length;
        for (int i = 0; i < rows; i++)
            if (x[i] is null)
                throw new ArgumentException($"{paramName}[{i}] is null.", paramName);
        int cols = rows == 0 ? 0 : x[0].Length;
        if (!allowEmpty && (rows == 0 || cols == 0))
            throw new ArgumentException($"{paramName} is empty ({rows} x {cols}).", paramName);
        var v = new T[checked(rows * cols)];
        for (int i = 0; i < rows; i++)
        {
            if (x[i].Length != cols)
                throw new ArgumentException($"{paramName}[{i}] has {x[i].Length} values; row 0 has {cols} (ragged rows).", paramName);
            Convert(x[i], v.AsSpan(i * cols, cols), i, paramName);
        }
        return new DenseData<T>(v, rows, cols);
    }

    static void Convert<TIn>(ReadOnlySpan<TIn> src, Span<T> dst, int row, string paramName)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
    {
        for (int j = 0; j < src.Length; j++)
        {
            TIn f = src[j];
            if (!TIn.IsFinite(f))
                throw new ArgumentException($"{paramName}[{row}, {j}] is {f}; the data must be finite.", paramName);
            dst[j] = T.CreateTruncating(f);
        }
    }

    /// <summary>The same numbers in another precision (a copy).</summary>
    public DenseData<TOut> To<TOut>() where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        var v = new TOut[Values.Length];
        for (int i = 0; i < v.Length; i++)
            v[i] = TOut.CreateTruncating(Values[i]);
        return new DenseData<TOut>(v, Rows, Cols);
    }

    /// <summary>The rows with the given indices, copied.</summary>
    public DenseData<T> Take(ReadOnlySpan<int> rows)
    {
        var v = new T[rows.Length * Cols];
        for (int i = 0; i < rows.Length; i++)
            Row(rows[i]).CopyTo(v.AsSpan(i * Cols, Cols));
        return new DenseData<T>(v, rows.Length, Cols);
    }
}
