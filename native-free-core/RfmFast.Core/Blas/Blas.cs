using System;
using System.Numerics;
using RfmFast.Core.Level3;
using RfmFast.Core.Threading;

namespace RfmFast.Core;

/// <summary>
/// Dense level-3 BLAS on row-major strided views: GEMM and SYRK for float and double, packed and
/// register-tiled per ISA tier, parallel over the cores, allocation-free in steady state.
/// </summary>
public static class Blas
{
    /// <summary>C = alpha op(A) op(B) + beta C (BLAS sgemm, row-major).</summary>
    /// <param name="transA">Whether op(A) is A or A^T.</param>
    /// <param name="transB">Whether op(B) is B or B^T.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="a">A; op(A) is m x k.</param>
    /// <param name="b">B; op(B) is k x n.</param>
    /// <param name="beta">The scale of the old C; 0 means C is not read (NaN in C does not propagate).</param>
    /// <param name="c">C, m x n; overwritten.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A or B.</exception>
    public static void Gemm(Transpose transA, Transpose transB, float alpha, ReadOnlyMatrixView<float> a,
        ReadOnlyMatrixView<float> b, float beta, MatrixView<float> c) =>
        Gemm(Isa.Best, WorkerPool.DefaultWorkers, transA, transB, alpha, a, b, beta, c);

    /// <summary>C = alpha op(A) op(B) + beta C (BLAS dgemm, row-major).</summary>
    /// <param name="transA">Whether op(A) is A or A^T.</param>
    /// <param name="transB">Whether op(B) is B or B^T.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="a">A; op(A) is m x k.</param>
    /// <param name="b">B; op(B) is k x n.</param>
    /// <param name="beta">The scale of the old C; 0 means C is not read.</param>
    /// <param name="c">C, m x n; overwritten.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A or B.</exception>
    public static void Gemm(Transpose transA, Transpose transB, double alpha, ReadOnlyMatrixView<double> a,
        ReadOnlyMatrixView<double> b, double beta, MatrixView<double> c) =>
        Gemm(Isa.Best, WorkerPool.DefaultWorkers, transA, transB, alpha, a, b, beta, c);

    /// <summary>The lower triangle of C = alpha op(A) op(A)^T + beta C (BLAS ssyrk, lower, row-major).
    /// The strict upper triangle of C is neither read nor written.</summary>
    /// <param name="trans">No: op(A) = A is n x k; Yes: op(A) = A^T, A is k x n.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="a">A.</param>
    /// <param name="beta">The scale of the old C; 0 means C is not read.</param>
    /// <param name="c">C, n x n; its lower triangle is overwritten.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A.</exception>
    public static void Syrk(Transpose trans, float alpha, ReadOnlyMatrixView<float> a, float beta, MatrixView<float> c) =>
        Syrk(Isa.Best, WorkerPool.DefaultWorkers, trans, alpha, a, beta, c);

    /// <summary>The lower triangle of C = alpha op(A) op(A)^T + beta C (BLAS dsyrk, lower, row-major).</summary>
    /// <param name="trans">No: op(A) = A is n x k; Yes: op(A) = A^T, A is k x n.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="a">A.</param>
    /// <param name="beta">The scale of the old C; 0 means C is not read.</param>
    /// <param name="c">C, n x n; its lower triangle is overwritten.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A.</exception>
    public static void Syrk(Transpose trans, double alpha, ReadOnlyMatrixView<double> a, double beta, MatrixView<double> c) =>
        Syrk(Isa.Best, WorkerPool.DefaultWorkers, trans, alpha, a, beta, c);

    /// <summary>C = alpha op(A) op(B) + beta C on at most <paramref name="workers"/> threads, in float or double: for
    /// callers generic over the element type, with a worker count of their own.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="workers">The most threads to use, the caller's included (see <see cref="Parallelism.DefaultWorkers"/>).</param>
    /// <param name="transA">Whether op(A) is A or A^T.</param>
    /// <param name="transB">Whether op(B) is B or B^T.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="a">A; op(A) is m x k.</param>
    /// <param name="b">B; op(B) is k x n.</param>
    /// <param name="beta">The scale of the old C; 0 means C is not read.</param>
    /// <param name="c">C, m x n; overwritten.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A or B.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Gemm<T>(int workers, Transpose transA, Transpose transB, T alpha, ReadOnlyMatrixView<T> a,
        ReadOnlyMatrixView<T> b, T beta, MatrixView<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.CheckElementAndWorkers<T>(workers);
        Gemm(Isa.Best, workers, transA, transB, alpha, a, b, beta, c);
    }

    /// <summary>GEMM on an explicit tier and worker count (tests and benchmarks).</summary>
    internal static unsafe void Gemm<T>(IsaTier tier, int workers, Transpose transA, Transpose transB, T alpha,
        ReadOnlyMatrixView<T> a, ReadOnlyMatrixView<T> b, T beta, MatrixView<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool ta = transA == Transpose.Yes, tb = transB == Transpose.Yes;
        int m = ta ? a.Cols : a.Rows, k = ta ? a.Rows : a.Cols;
        int kb = tb ? b.Cols : b.Rows, n = tb ? b.Rows : b.Cols;
        if (k != kb)
            ThrowHelper.Argument(nameof(b), $"op(A) is {m} x {k} but op(B) is {kb} x {n}: the inner dimensions differ.");
        if (c.Rows != m || c.Cols != n)
            ThrowHelper.Argument(nameof(c), $"C is {c.Rows} x {c.Cols}; op(A) op(B) is {m} x {n}.");
        CheckNoOverlap(c.Data, a.Data, nameof(a));
        CheckNoOverlap(c.Data, b.Data, nameof(b));
        fixed (T* pa = a.Data, pb = b.Data, pc = c.Data)
        {
            var p = new GemmProblem<T>
            {
                A = pa, Lda = a.Ld, TransA = ta, B = pb, Ldb = b.Ld, TransB = tb, C = pc, Ldc = c.Ld,
                M = m, N = n, K = k, Alpha = alpha, Beta = beta,
            };
            GemmDispatch.Run(tier, p, default(NoEpilogue<T>), workers);
        }
    }

    /// <summary>SYRK on an explicit tier and worker count (tests, benchmarks, Cholesky).</summary>
    internal static unsafe void Syrk<T>(IsaTier tier, int workers, Transpose trans, T alpha,
        ReadOnlyMatrixView<T> a, T beta, MatrixView<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool t = trans == Transpose.Yes;
        int n = t ? a.Cols : a.Rows, k = t ? a.Rows : a.Cols;
        if (c.Rows != n || c.Cols != n)
            ThrowHelper.Argument(nameof(c), $"C is {c.Rows} x {c.Cols}; op(A) op(A)^T is {n} x {n}.");
        CheckNoOverlap(c.Data, a.Data, nameof(a));
        fixed (T* pa = a.Data, pc = c.Data)
        {
            var p = new GemmProblem<T>
            {
                A = pa, Lda = a.Ld, TransA = t, B = pa, Ldb = a.Ld, TransB = !t, C = pc, Ldc = c.Ld,
                M = n, N = n, K = k, Alpha = alpha, Beta = beta, LowerOnly = true,
            };
            GemmDispatch.Run(tier, p, default(NoEpilogue<T>), workers);
        }
    }

    internal static void CheckNoOverlap<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> input, string inputName)
    {
        if (!output.IsEmpty && !input.IsEmpty && output.Overlaps(input))
            ThrowHelper.Argument(inputName, $"The output overlaps {inputName}; use separate buffers.");
    }
}
