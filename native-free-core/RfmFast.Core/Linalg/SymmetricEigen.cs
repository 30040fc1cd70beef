using System;
using System.Numerics;
using System.Runtime.InteropServices;
using RfmFast.Core.Linalg;
using RfmFast.Core.Threading;

namespace RfmFast.Core;

/// <summary>
/// Eigenvalues and eigenvectors of real symmetric matrices (LAPACK syev): Householder reduction to
/// tridiagonal form, then the implicit QL iteration with Wilkinson shifts, its rotations applied to the
/// reduction's orthogonal factor. For RFM's feature matrix M: its eigenpairs, its top eigenvectors, and
/// its powers M^p (M^(1/2) for the product kernel).
/// </summary>
/// <remarks>
/// <para>Every routine reads only the <b>lower triangle</b> of <c>a</c> (the diagonal and below); the strict
/// upper triangle is never read, so it may hold anything. <c>a</c> is never written.</para>
/// <para>All the arithmetic is in double, for float input too: the float overloads widen the matrix, solve
/// in double and round the results once. The input is first scaled by a power of two (exact) so that
/// huge and tiny matrices behave like ones near 1.</para>
/// <para>Accuracy: backward stable. Each eigenvalue is within a small multiple of d eps ||A|| of an exact
/// eigenvalue (eps of double, or of float for the float overloads after rounding); eigenvectors are
/// orthonormal to about d eps, and the residual ||A V - V diag(w)|| is about d eps ||A||. An eigenvector is
/// determined only up to sign (and, for a repeated eigenvalue, up to a rotation within its eigenspace).</para>
/// <para>Threads: the reduction (from trailing order 768), the formation of the orthogonal factor and the
/// application of the rotations run on the core's workers. Results are deterministic for a given tier and
/// worker count, and differ between worker counts only by rounding. Working memory (about d^2 doubles)
/// comes from the core's pool; a call allocates no managed memory in steady state.</para>
/// </remarks>
public static class SymmetricEigen
{
    /// <summary>All eigenvalues (ascending) and eigenvectors (the columns of <paramref name="eigenvectors"/>,
    /// orthonormal) of the symmetric matrix whose lower triangle is <paramref name="a"/>, like numpy.linalg.eigh.</summary>
    /// <param name="a">d x d; only its lower triangle is read, and it is not modified.</param>
    /// <param name="eigenvalues">Exactly d elements: the eigenvalues in ascending order.</param>
    /// <param name="eigenvectors">d x d, any leading dimension: column c is the unit eigenvector of
    /// eigenvalue c. It must not overlap <paramref name="a"/> or <paramref name="eigenvalues"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square or holds NaN or infinity in its
    /// lower triangle; an output has the wrong size or overlaps an input.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not observed on finite input).</exception>
    public static void Decompose(ReadOnlyMatrixView<double> a, Span<double> eigenvalues, MatrixView<double> eigenvectors) =>
        Decompose(Isa.Best, WorkerPool.DefaultWorkers, a, eigenvalues, eigenvectors);

    /// <summary>All eigenvalues (ascending) and eigenvectors (columns, orthonormal) of a float symmetric
    /// matrix, computed in double and rounded to float; see
    /// <see cref="Decompose(ReadOnlyMatrixView{double}, Span{double}, MatrixView{double})"/>.</summary>
    /// <param name="a">d x d; only its lower triangle is read, and it is not modified.</param>
    /// <param name="eigenvalues">Exactly d elements: the eigenvalues in ascending order.</param>
    /// <param name="eigenvectors">d x d: column c is the unit eigenvector of eigenvalue c; must not overlap the inputs.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square or holds NaN or infinity in its
    /// lower triangle; an output has the wrong size or overlaps an input.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not observed on finite input).</exception>
    public static void Decompose(ReadOnlyMatrixView<float> a, Span<float> eigenvalues, MatrixView<float> eigenvectors) =>
        Decompose(Isa.Best, WorkerPool.DefaultWorkers, a, eigenvalues, eigenvectors);

    /// <summary>All eigenvalues, ascending, without eigenvectors (about a third of the cost of
    /// <see cref="Decompose(ReadOnlyMatrixView{double}, Span{double}, MatrixView{double})"/>).</summary>
    /// <param name="a">d x d; only its lower triangle is read, and it is not modified.</param>
    /// <param name="eigenvalues">Exactly d elements: the eigenvalues in ascending order; must not overlap <paramref name="a"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square or holds NaN or infinity in its
    /// lower triangle; <paramref name="eigenvalues"/> has the wrong length or overlaps <paramref name="a"/>.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not observed on finite input).</exception>
    public static void Values(ReadOnlyMatrixView<double> a, Span<double> eigenvalues) =>
        Values(Isa.Best, WorkerPool.DefaultWorkers, a, eigenvalues);

    /// <summary>All eigenvalues of a float symmetric matrix, ascending, computed in double and rounded to float.</summary>
    /// <param name="a">d x d; only its lower triangle is read, and it is not modified.</param>
    /// <param name="eigenvalues">Exactly d elements: the eigenvalues in ascending order; must not overlap <paramref name="a"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square or holds NaN or infinity in its
    /// lower triangle; <paramref name="eigenvalues"/> has the wrong length or overlaps <paramref name="a"/>.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not observed on finite input).</exception>
    public static void Values(ReadOnlyMatrixView<float> a, Span<float> eigenvalues) =>
        Values(Isa.Best, WorkerPool.DefaultWorkers, a, eigenvalues);

    /// <summary>The <paramref name="k"/> largest eigenvalues in descending order and their eigenvectors
    /// (the columns of <paramref name="eigenvectors"/>, orthonormal): RFM's feature directions and the
    /// xRFM split direction (k = 1).</summary>
    /// <remarks>For k up to d / 16 (and d &gt;= 32): the tridiagonal reduction, then bisection for the k
    /// largest eigenvalues of T and inverse iteration for their vectors (LAPACK stebz and stein, with
    /// reorthogonalization inside clusters of close eigenvalues), then the reflectors applied to the k vectors
    /// only: about a third of the cost of
    /// <see cref="Decompose(ReadOnlyMatrixView{double}, Span{double}, MatrixView{double})"/>. For larger k, the
    /// last k pairs of the full decomposition. Either way the values agree with Decompose's to a few eps ||A||
    /// and the vectors are orthonormal with a residual of O(d eps ||A||).</remarks>
    /// <param name="a">d x d; only its lower triangle is read, and it is not modified.</param>
    /// <param name="k">How many eigenpairs, 0 to d.</param>
    /// <param name="eigenvalues">Exactly k elements: the k largest eigenvalues, largest first.</param>
    /// <param name="eigenvectors">d x k: column c is the unit eigenvector of eigenvalue c; must not overlap the inputs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative or above d.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square or holds NaN or infinity in its
    /// lower triangle; an output has the wrong size or overlaps an input.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not observed on finite input).</exception>
    public static void Top(ReadOnlyMatrixView<double> a, int k, Span<double> eigenvalues, MatrixView<double> eigenvectors) =>
        Top(Isa.Best, WorkerPool.DefaultWorkers, a, k, eigenvalues, eigenvectors);

    /// <summary>The <paramref name="k"/> largest eigenvalues (descending) and their eigenvectors of a float
    /// symmetric matrix, computed in double; see
    /// <see cref="Top(ReadOnlyMatrixView{double}, int, Span{double}, MatrixView{double})"/>.</summary>
    /// <param name="a">d x d; only its lower triangle is read, and it is not modified.</param>
    /// <param name="k">How many eigenpairs, 0 to d.</param>
    /// <param name="eigenvalues">Exactly k elements: the k largest eigenvalues, largest first.</param>
    /// <param name="eigenvectors">d x k: column c is the unit eigenvector of eigenvalue c; must not overlap the inputs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative or above d.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square or holds NaN or infinity in its
    /// lower triangle; an output has the wrong size or overlaps an input.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not observed on finite input).</exception>
    public static void Top(ReadOnlyMatrixView<float> a, int k, Span<float> eigenvalues, MatrixView<float> eigenvectors) =>
        Top(Isa.Best, WorkerPool.DefaultWorkers, a, k, eigenvalues, eigenvectors);

    /// <summary>
    /// The matrix power A^p = V diag(max(w, 0)^p) V^T of a symmetric positive semi-definite matrix (p = 0.5:
    /// the square root; p = 1: the PSD projection of A), written in full (both triangles, symmetric).
    /// </summary>
    /// <remarks>
    /// <para>Negative eigenvalues from rounding are clamped to 0: any w with -sqrt(eps) max|w| &lt;= w &lt; 0,
    /// eps the epsilon of the element type (about 1.5e-8 relative for double, 3.5e-4 for float). A
    /// clearly negative eigenvalue, below -sqrt(eps) max|w|, means A is not PSD: the call throws
    /// <see cref="ArgumentException"/> and <paramref name="result"/> is not written.</para>
    /// <para>p = 0 gives the identity (0^0 = 1). Negative powers are not supported; use
    /// <see cref="Decompose(ReadOnlyMatrixView{double}, Span{double}, MatrixView{double})"/> and choose how to
    /// treat the null space. The product is formed as B^T B with B = diag(w^(p/2)) V^T restricted to the
    /// eigenvalues with a nonzero power, on the core's SYRK, so a low-rank M costs less.</para>
    /// </remarks>
    /// <param name="a">d x d symmetric PSD; only its lower triangle is read, and it is not modified.</param>
    /// <param name="p">The power: finite and at least 0.</param>
    /// <param name="result">d x d, overwritten with A^p; must not overlap <paramref name="a"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, holds NaN or infinity in its
    /// lower triangle, or has a clearly negative eigenvalue; <paramref name="result"/> has the wrong size or
    /// overlaps <paramref name="a"/>.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not observed on finite input).</exception>
    public static void Power(ReadOnlyMatrixView<double> a, double p, MatrixView<double> result) =>
        Power(Isa.Best, WorkerPool.DefaultWorkers, a, p, result);

    /// <summary>The matrix power A^p of a float symmetric PSD matrix, computed in double and rounded to float;
    /// see <see cref="Power(ReadOnlyMatrixView{double}, double, MatrixView{double})"/> for the clamping of
    /// negative eigenvalues (here sqrt(eps) is float's, about 3.5e-4 relative).</summary>
    /// <param name="a">d x d symmetric PSD; only its lower triangle is read, and it is not modified.</param>
    /// <param name="p">The power: finite and at least 0.</param>
    /// <param name="result">d x d, overwritten with A^p; must not overlap <paramref name="a"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, holds NaN or infinity in its
    /// lower triangle, or has a clearly negative eigenvalue; <paramref name="result"/> has the wrong size or
    /// overlaps <paramref name="a"/>.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not observed on finite input).</exception>
    public static void Power(ReadOnlyMatrixView<float> a, float p, MatrixView<float> result) =>
        Power(Isa.Best, WorkerPool.DefaultWorkers, a, p, result);

    internal static unsafe void Decompose<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> a, Span<T> eigenvalues,
        MatrixView<T> eigenvectors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = CheckSquare(a);
        CheckLength(eigenvalues.Length, n, nameof(eigenvalues));
        CheckShape(eigenvectors, n, n, nameof(eigenvectors));
        Blas.CheckNoOverlap<T>(eigenvalues, a.Data, nameof(a));
        Blas.CheckNoOverlap<T>(eigenvectors.Data, a.Data, nameof(a));
        Blas.CheckNoOverlap<T>(eigenvectors.Data, eigenvalues, nameof(eigenvalues));
        int exponent = ScaleExponent(a);
        if (n == 0)
            return;
        using var ws = EigenWorkspace.Rent(n, workers, vectors: true);
        ws.Load(a, exponent);
        ws.SolveVectors(tier, workers);
        ws.SortAscending();
        WritePairs(ws, exponent, 0, 1, eigenvalues, eigenvectors);
    }

    internal static unsafe void Values<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> a, Span<T> eigenvalues)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = CheckSquare(a);
        CheckLength(eigenvalues.Length, n, nameof(eigenvalues));
        Blas.CheckNoOverlap<T>(eigenvalues, a.Data, nameof(a));
        int exponent = ScaleExponent(a);
        if (n == 0)
            return;
        using var ws = EigenWorkspace.Rent(n, workers, vectors: false);
        ws.Load(a, exponent);
        ws.SolveValues(tier, workers);
        new Span<double>(ws.D, n).Sort();
        for (int i = 0; i < n; i++)
            eigenvalues[i] = T.CreateTruncating(Math.ScaleB(ws.D[i], exponent));
    }

    internal static unsafe void Top<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> a, int k, Span<T> eigenvalues,
        MatrixView<T> eigenvectors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = CheckSquare(a);
        if ((uint)k > (uint)n)
            ThrowHelper.ArgumentOutOfRange(nameof(k), $"k is {k}; it must be between 0 and the order of a ({n}).");
        CheckLength(eigenvalues.Length, k, nameof(eigenvalues));
        CheckShape(eigenvectors, n, k, nameof(eigenvectors));
        Blas.CheckNoOverlap<T>(eigenvalues, a.Data, nameof(a));
        Blas.CheckNoOverlap<T>(eigenvectors.Data, a.Data, nameof(a));
        Blas.CheckNoOverlap<T>(eigenvectors.Data, eigenvalues, nameof(eigenvalues));
        int exponent = ScaleExponent(a);
        if (k == 0)
            return;
        if (UseInverseIteration(n, k))
        {
            TopByInverseIteration(tier, workers, a, exponent, eigenvalues, eigenvectors);
            return;
        }
        using var ws = EigenWorkspace.Rent(n, workers, vectors: true);
        ws.Load(a, exponent);
        ws.SolveVectors(tier, workers);
        ws.SortAscending();
        WritePairs(ws, exponent, n - 1, -1, eigenvalues, eigenvectors);
    }

    /// <summary>Whether Top takes the bisection and inverse-iteration path: k up to d / 16, from d = 32 on.
    /// Its cost beyond the reduction is O(d k) for T and 4 d^2 k for the back-transformation, against about
    /// three times the reduction for the full decomposition.</summary>
    internal static bool UseInverseIteration(int n, int k) => n >= 32 && k <= n / 16;

    static unsafe void TopByInverseIteration<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> a, int exponent,
        Span<T> eigenvalues, MatrixView<T> eigenvectors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows, k = eigenvalues.Length;
        using var ws = EigenWorkspace.Rent(n, workers, vectors: false);
        ws.Load(a, exponent);
        ws.Reduce(tier, workers);
        using var buf = PooledBuffer<double>.Rent(k + k * n + TridiagonalInverseIteration.WorkLength(n));
        using var ints = PooledBuffer<int>.Rent(TridiagonalInverseIteration.IntLength(n, k));
        double* values = buf.Pointer, z = values + k, work = z + k * n;
        TridiagonalInverseIteration.Largest(ws.D, ws.E, n, k, values, z, n, work, ints.Pointer);
        ws.BackTransform(tier, z, n, k);
        for (int c = 0; c < k; c++)
            eigenvalues[c] = T.CreateTruncating(Math.ScaleB(values[c], exponent));
        nint ldv = eigenvectors.Ld;
        fixed (T* pv = eigenvectors.Data)
        {
            for (int c = 0; c < k; c++)
            {
                double* src = z + c * n;
                for (int j = 0; j < n; j++)
                    pv[j * ldv + c] = T.CreateTruncating(src[j]);
            }
        }
    }

    internal static unsafe void Power<T>(IsaTier tier, int workers, ReadOnlyMatrixView<T> a, T p, MatrixView<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = CheckSquare(a);
        double power = double.CreateTruncating(p);
        if (!double.IsFinite(power) || power < 0)
            ThrowHelper.ArgumentOutOfRange(nameof(p), $"The power is {power}; it must be finite and at least 0.");
        CheckShape(result, n, n, nameof(result));
        Blas.CheckNoOverlap<T>(result.Data, a.Data, nameof(a));
        int exponent = ScaleExponent(a);
        if (n == 0)
            return;
        using var ws = EigenWorkspace.Rent(n, workers, vectors: true);
        ws.Load(a, exponent);
        ws.SolveVectors(tier, workers);

        double max = 0;
        for (int i = 0; i < n; i++)
            max = Math.Max(max, Math.Abs(ws.D[i]));
        double tolerance = Math.Sqrt(MachineEpsilon<T>()) * max;
        for (int i = 0; i < n; i++)
        {
            if (ws.D[i] < -tolerance)
            {
                ThrowHelper.Argument(nameof(a), $"The matrix is not positive semi-definite: it has the eigenvalue " +
                    $"{Math.ScaleB(ws.D[i], exponent):G6}, below -sqrt(eps) max|w| = {-Math.ScaleB(tolerance, exponent):G3}.");
            }
        }
        // B = diag(w^(p/2)) Q^T over the eigenvalues with a nonzero power, compacted to the first rows.
        int rank = 0;
        nint ld = ws.Ld;
        for (int i = 0; i < n; i++)
        {
            double w = Math.Max(ws.D[i], 0);
            double f = Math.Pow(Math.ScaleB(w, exponent), power);
            if (!(f > 0))
                continue;
            double s = Math.Sqrt(f);
            double* src = ws.A + i * ld, dst = ws.A + rank * ld;
            for (int j = 0; j < n; j++)
                dst[j] = s * src[j];
            rank++;
        }
        var b = new ReadOnlyMatrixView<double>(new ReadOnlySpan<double>(ws.A, n * ws.Ld), rank, n, ws.Ld);
        if (typeof(T) == typeof(double))
        {
            var c = new MatrixView<double>(MemoryMarshal.Cast<T, double>(result.Data), n, n, result.Ld);
            SymmetricProduct(tier, workers, b, rank, c);
        }
        else
        {
            using var full = PooledBuffer<double>.Rent(n * n);
            var c = new MatrixView<double>(full.Span, n, n, n);
            SymmetricProduct(tier, workers, b, rank, c);
            for (int i = 0; i < n; i++)
            {
                Span<T> dst = result.Row(i);
                ReadOnlySpan<double> src = c.Row(i);
                for (int j = 0; j < n; j++)
                    dst[j] = T.CreateTruncating(src[j]);
            }
        }
    }

    /// <summary>C = B^T B (B rank x n) in full: SYRK for the lower triangle, mirrored to the upper.</summary>
    static void SymmetricProduct(IsaTier tier, int workers, ReadOnlyMatrixView<double> b, int rank, MatrixView<double> c)
    {
        int n = c.Rows;
        if (rank == 0)
        {
            for (int i = 0; i < n; i++)
                c.Row(i).Clear();
            return;
        }
        Blas.Syrk(tier, workers, Transpose.Yes, 1.0, b, 0.0, c);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
                c[i, j] = c[j, i];
        }
    }

    /// <summary>Writes eigenpairs first, first + step, ... of the sorted workspace: values unscaled and
    /// rounded to T, vectors (rows of the workspace) transposed into columns, in 32 x 32 tiles.</summary>
    static unsafe void WritePairs<T>(in EigenWorkspace ws, int exponent, int first, int step, Span<T> eigenvalues, MatrixView<T> eigenvectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = ws.N, k = eigenvalues.Length;
        for (int c = 0; c < k; c++)
            eigenvalues[c] = T.CreateTruncating(Math.ScaleB(ws.D[first + c * step], exponent));
        nint ld = ws.Ld, ldv = eigenvectors.Ld;
        fixed (T* pv = eigenvectors.Data)
        {
            for (int cb = 0; cb < k; cb += 32)
            {
                int cEnd = Math.Min(cb + 32, k);
                for (int jb = 0; jb < n; jb += 32)
                {
                    int jEnd = Math.Min(jb + 32, n);
                    for (int c = cb; c < cEnd; c++)
                    {
                        double* src = ws.A + ws.Perm[first + c * step] * ld;
                        T* dst = pv + c;
                        for (int j = jb; j < jEnd; j++)
                            dst[j * ldv] = T.CreateTruncating(src[j]);
                    }
                }
            }
        }
    }

    static int CheckSquare<T>(ReadOnlyMatrixView<T> a)
    {
        if (a.Rows != a.Cols)
            ThrowHelper.Argument(nameof(a), $"A is {a.Rows} x {a.Cols}; a symmetric eigenproblem needs a square matrix.");
        return a.Rows;
    }

    static void CheckLength(int length, int expected, string name)
    {
        if (length != expected)
            ThrowHelper.Argument(name, $"{name} has {length} elements; it must have exactly {expected}.");
    }

    static void CheckShape<T>(MatrixView<T> m, int rows, int cols, string name)
    {
        if (m.Rows != rows || m.Cols != cols)
            ThrowHelper.Argument(name, $"{name} is {m.Rows} x {m.Cols}; it must be {rows} x {cols}.");
    }

    /// <summary>Checks the lower triangle is finite and returns the exponent e with max |a_ij| in [2^e, 2^(e+1))
    /// (0 for the zero matrix), clamped to +-1000 so that 2^-e is a normal number.</summary>
    static unsafe int ScaleExponent<T>(ReadOnlyMatrixView<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        if (n == 0)
            return 0;
        double max = 0;
        nint lda = a.Ld;
        fixed (T* pa = a.Data)
        {
            for (int i = 0; i < n; i++)
            {
                T* row = pa + i * lda;
                for (int j = 0; j <= i; j++)
                {
                    double x = double.CreateTruncating(row[j]);
                    if (!double.IsFinite(x))
                        ThrowHelper.Argument(nameof(a), $"a({i}, {j}) is {x}; the matrix must be finite.");
                    max = Math.Max(max, Math.Abs(x));
                }
            }
        }
        return max == 0 ? 0 : Math.Clamp(Math.ILogB(max), -1000, 1000);
    }

    static double MachineEpsilon<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? 1.1920928955078125e-7 : 2.220446049250313e-16;
}
