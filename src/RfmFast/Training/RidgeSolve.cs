using System;
using System.Numerics;
using System.Runtime.InteropServices;
using RfmFast.Core;

namespace RfmFast;

/// <summary>An iteration that produced no usable result (non-finite coefficients or AGOP): the loop stops and
/// keeps the best earlier iteration, or, at iteration 0, the fit fails with this message.</summary>
internal sealed class IterationFailedException(string message) : Exception(message);

/// <summary>The kernel ridge solve (K + reg I) alpha = y in both precisions, with the solve policy: the
/// requested <see cref="RfmOptions.SolvePrecision"/> for a float fit, double for a float64 fit, and a
/// documented diagonal jitter when the matrix is not positive definite even so.</summary>
internal static class RidgeSolve
{
    /// <summary>Solves in place of <paramref name="k"/> (K(X, X) in full, both triangles; destroyed).</summary>
    public static (T[] Alpha, RfmSolveReport Report) Solve<T>(MatrixView<T> k, DenseData<T> y, RfmOptions o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = k.Rows;
        T reg = T.CreateTruncating(o.Reg);
        for (int i = 0; i < n; i++)
            k[i, i] += reg;
        T[] result;
        SolveReport report;
        if (typeof(T) == typeof(float))
        {
            var (a, r) = SolveSingle((float[])(object)y.Values, n, y.Cols, CoreTypes.Solve(o.SolvePrecision), Reinterpret<T, float>(k));
            (result, report) = ((T[])(object)a, r);
        }
        else
        {
            var (a, r) = SolveDouble((double[])(object)y.Values, n, y.Cols, Reinterpret<T, double>(k));
            (result, report) = ((T[])(object)a, r);
        }
        if (!Array.TrueForAll(result, T.IsFinite))
            throw new IterationFailedException("the kernel ridge solve produced non-finite coefficients");
        return (result, CoreTypes.Report(report));
    }

    static (float[] Alpha, SolveReport Report) SolveSingle(float[] y, int n, int c, SolvePrecision precision, MatrixView<float> k)
    {
        var x = new double[n * c];
        SolveReport report;
        try
        {
            // K(X, X) is computed in full, both triangles: no mirroring pass before the refinement.
            report = SpdSolver.SolveFullSymmetric(k, new ReadOnlyMatrixView<float>(y, n, c), new MatrixView<double>(x, n, c), precision);
        }
        catch (NotPositiveDefiniteException)
        {
            // The failed factorization restored the matrix; the documented jitter is the last resort.
            double jitter = Cholesky.FactorWithJitter(k, 1e-7, 8);
            var b = (float[])y.Clone();
            Cholesky.Solve(k, new MatrixView<float>(b, n, c));
            for (int i = 0; i < b.Length; i++)
                x[i] = b[i];
            report = new SolveReport(precision, SolvePrecision.Float32, 0, double.NaN, true, $"not positive definite; jitter {jitter:G3} added");
        }
        var alpha = new float[n * c];
        for (int i = 0; i < alpha.Length; i++)
            alpha[i] = (float)x[i];
        return (alpha, report);
    }

    static (double[] Alpha, SolveReport Report) SolveDouble(double[] y, int n, int c, MatrixView<double> k)
    {
        var b = (double[])y.Clone();
        double jitter = Cholesky.FactorWithJitter(k, 1e-15, 16);
        Cholesky.Solve(k, new MatrixView<double>(b, n, c));
        var report = jitter == 0
            ? new SolveReport(SolvePrecision.Float64, SolvePrecision.Float64, 0, double.NaN, false, null)
            : new SolveReport(SolvePrecision.Float64, SolvePrecision.Float64, 0, double.NaN, true, $"not positive definite; jitter {jitter:G3} added");
        return (b, report);
    }

    /// <summary>The same matrix viewed as TOut, for the branches where T is known to be TOut.</summary>
    static MatrixView<TOut> Reinterpret<TIn, TOut>(MatrixView<TIn> v) where TIn : unmanaged where TOut : unmanaged =>
        new(MemoryMarshal.Cast<TIn, TOut>(v.Data), v.Rows, v.Cols, v.Ld);
}
