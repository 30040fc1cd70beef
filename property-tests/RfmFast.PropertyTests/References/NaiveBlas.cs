using System;
using System.Numerics;

namespace RfmFast.PropertyTests.References;

/// <summary>
/// A dense row-major matrix held in a plain array, used as the input and output of the references.
/// Element (i, j) is <c>Data[Offset + i * Ld + j]</c>, so the same type describes a sub-view of a
/// larger buffer with a leading dimension larger than <see cref="Cols"/>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Dense<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Dense(T[] data, int offset, int rows, int cols, int ld)
    {
        if (rows < 0 || cols < 0 || ld < Math.Max(cols, 1) || offset < 0)
            throw new ArgumentOutOfRangeException(nameof(rows));
        if (rows > 0 && cols > 0 && offset + (long)(rows - 1) * ld + cols > data.Length)
            throw new ArgumentOutOfRangeException(nameof(data));
        Data = data;
        Offset = offset;
        Rows = rows;
        Cols = cols;
        Ld = ld;
    }

    public T[] Data { get; }
    public int Offset { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int Ld { get; }

    public T this[int i, int j] => Data[Offset + i * Ld + j];

    /// <summary>Element (i, j) of op(this): the transpose when <paramref name="trans"/> is set.</summary>
    public double Op(bool trans, int i, int j) => double.CreateTruncating(trans ? this[j, i] : this[i, j]);

    /// <summary>The span a core view needs: from element (0, 0) to the end of the last row (empty if 0-size).</summary>
    public Span<T> ViewSpan => Rows == 0 || Cols == 0
        ? Span<T>.Empty
        : Data.AsSpan(Offset, (Rows - 1) * Ld + Cols);
}

/// <summary>
/// Naive double-precision references for the core's BLAS routines, and the tolerance model they are
/// compared under. Every reference is the textbook triple loop, accumulated in double from the exact
/// values of the inputs, and also returns the magnitude <c>sum |alpha a_ip b_pj| + |beta c_ij|</c> that the
/// error bound scales with (Higham: |fl(x^T y) - x^T y| &lt;= gamma_k |x|^T |y|, gamma_k ~ k u).
/// </summary>
public static class NaiveBlas
{
    /// <summary>
    /// C = alpha op(A) op(B) + beta C in double. <paramref name="c0"/> is the old C (ignored when beta is 0,
    /// so NaN in it does not propagate, as in BLAS). Returns the m x n result and the per-element magnitude.
    /// </summary>
    public static (double[,] Value, double[,] Magnitude) Gemm<T>(bool transA, bool transB, double alpha,
        Dense<T> a, Dense<T> b, double beta, Dense<T> c0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = transA ? a.Cols : a.Rows, k = transA ? a.Rows : a.Cols;
        int n = transB ? b.Rows : b.Cols;
        if ((transB ? b.Cols : b.Rows) != k || c0.Rows != m || c0.Cols != n)
            throw new ArgumentException("Shapes do not agree.");
        var value = new double[m, n];
        var magnitude = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0, mag = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = a.Op(transA, i, p) * b.Op(transB, p, j);
                    s += x;
                    mag += Math.Abs(x);
                }
                double v = alpha * s, vm = Math.Abs(alpha) * mag;
                if (beta != 0)
                {
                    double old = double.CreateTruncating(c0[i, j]);
                    v += beta * old;
                    vm += Math.Abs(beta * old);
                }
                value[i, j] = v;
                magnitude[i, j] = vm;
            }
        }
        return (value, magnitude);
    }

    /// <summary>
    /// The lower triangle of C = alpha op(A) op(A)^T + beta C in double (op(A) = A, n x k, or A^T with A
    /// k x n). Only the lower triangle (j &lt;= i) of the result is meaningful; the rest is 0.
    /// </summary>
    public static (double[,] Value, double[,] Magnitude) SyrkLower<T>(bool trans, double alpha, Dense<T> a,
        double beta, Dense<T> c0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = trans ? a.Cols : a.Rows, k = trans ? a.Rows : a.Cols;
        if (c0.Rows != n || c0.Cols != n)
            throw new ArgumentException("Shapes do not agree.");
        var value = new double[n, n];
        var magnitude = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0, mag = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = a.Op(trans, i, p) * a.Op(trans, j, p);
                    s += x;
                    mag += Math.Abs(x);
                }
                double v = alpha * s, vm = Math.Abs(alpha) * mag;
                if (beta != 0)
                {
                    double old = double.CreateTruncating(c0[i, j]);
                    v += beta * old;
                    vm += Math.Abs(beta * old);
                }
                value[i, j] = v;
                magnitude[i, j] = vm;
            }
        }
        return (value, magnitude);
    }

    /// <summary>y = op(A) x in double.</summary>
    public static double[] Gemv<T>(bool trans, Dense<T> a, ReadOnlySpan<double> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = trans ? a.Cols : a.Rows, k = trans ? a.Rows : a.Cols;
        if (x.Length != k)
            throw new ArgumentException("Shapes do not agree.", nameof(x));
        var y = new double[m];
        for (int i = 0; i < m; i++)
        {
            double s = 0;
            for (int p = 0; p < k; p++)
                s += a.Op(trans, i, p) * x[p];
            y[i] = s;
        }
        return y;
    }

    /// <summary>
    /// The relative error allowed for one element of a length-<paramref name="k"/> reduction computed in
    /// <typeparamref name="T"/>: (k + <paramref name="extraRoundings"/>) machine epsilons. This is twice
    /// Higham's gamma_k (k unit roundoffs), which also leaves room for blocked accumulation (one extra
    /// rounding per KC block), the alpha and beta updates, and a double reference of a double routine.
    /// </summary>
    public static double Gamma<T>(int k, int extraRoundings = 8)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (k + extraRoundings) * MachineEpsilon<T>();

    /// <summary>The distance from 1 to the next representable value: 2^-23 for float, 2^-52 for double.</summary>
    public static double MachineEpsilon<T>() where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? MathF.BitIncrement(1f) - 1f : Math.BitIncrement(1.0) - 1.0;

    /// <summary>The smallest absolute slack added to every bound, so that exact zeros compare cleanly
    /// without letting a visible error through (far below any input's magnitude here).</summary>
    public static double AbsoluteSlack<T>() where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? 1e-30 : 1e-290;
}
