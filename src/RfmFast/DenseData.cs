using System;

namespace RfmFast;

/// <summary>A row-major copy of caller data, validated: the estimators never keep or modify the caller's arrays.</summary>
internal sealed class DenseData
{
    public DenseData(float[] values, int rows, int cols)
    {
        Values = values;
        Rows = rows;
        Cols = cols;
    }

    public float[] Values { get; }
    public int Rows { get; }
    public int Cols { get; }

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Cols, Cols);

    /// <summary>Copies a 2-D array, rejecting empty input and NaN or infinity with the argument's name.</summary>
    public static DenseData From(float[,] x, string paramName, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(x, paramName);
        int rows = x.GetLength(0), cols = x.GetLength(1);
        if (!allowEmpty && (rows == 0 || cols == 0))
            throw new ArgumentException($"{paramName} is empty ({rows} x {cols}).", paramName);
        var v = new float[rows * cols];
        int k = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                float f = x[i, j];
                if (!float.IsFinite(f))
                    throw new ArgumentException($"{paramName}[{i}, {j}] is {f}; the data must be finite.", paramName);
                v[k++] = f;
            }
        }
        return new DenseData(v, rows, cols);
    }

    /// <summary>The rows with the given indices, copied.</summary>
    public DenseData Take(ReadOnlySpan<int> rows)
    {
        var v = new float[rows.Length * Cols];
        for (int i = 0; i < rows.Length; i++)
            Row(rows[i]).CopyTo(v.AsSpan(i * Cols, Cols));
        return new DenseData(v, rows.Length, Cols);
    }
}
