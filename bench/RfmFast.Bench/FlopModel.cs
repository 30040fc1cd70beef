using System;
using System.Globalization;
using BenchmarkDotNet.Running;

namespace RfmFast.Bench;

/// <summary>
/// A benchmark class that knows how many floating-point operations one call of its benchmark does, for
/// <see cref="GflopsColumn"/>. The conventions (see bench/README.md):
/// GEMM 2 m n k; SYRK n^2 k (the lower triangle of A A^T, the usual BLAS count, not n(n+1)k);
/// kernel matrix 2 n m d for the -2 X Z^T GEMM plus n m for the epilogue (norms, clamp, sqrt and exp
/// count as one operation per element, the O((n + m) d) row norms are not counted); Cholesky n^3 / 3;
/// Cholesky solve 2 n^2 c; symmetric eigendecomposition 9 d^3, a nominal figure.
/// </summary>
interface IFlopModel
{
    /// <summary>The flops of one call of <paramref name="benchmarkCase"/>.</summary>
    static abstract double Flops(BenchmarkCase benchmarkCase);
}

static class FlopFormulas
{
    public static double Gemm(double m, double n, double k) => 2 * m * n * k;

    public static double Syrk(double n, double k) => n * n * k;

    public static double KernelMatrix(double n, double m, double d) => 2 * n * m * d + n * m;

    /// <summary>Cholesky factorization of an n x n matrix: n^3 / 3 (LAPACK's count, lower-order terms dropped).</summary>
    public static double Potrf(double n) => n * n * n / 3;

    /// <summary>Solve with a Cholesky factor, c right-hand sides: two triangular solves, 2 n^2 c.</summary>
    public static double Potrs(double n, double c) => 2 * n * n * c;

    /// <summary>A NOMINAL count for a symmetric eigendecomposition with vectors: 9 d^3 (the usual textbook
    /// figure for tridiagonal reduction + QR/divide-and-conquer + back-transformation; the real work depends
    /// on the algorithm and the spectrum). Use it to compare rates, not as a measured flop count.</summary>
    public static double EighNominal(double d) => 9 * d * d * d;

    /// <summary>An integer [Params] value of a case by name.</summary>
    public static int Param(BenchmarkCase benchmarkCase, string name) =>
        Convert.ToInt32(benchmarkCase.Parameters[name]
            ?? throw new InvalidOperationException($"The case has no parameter {name}."), CultureInfo.InvariantCulture);
}
