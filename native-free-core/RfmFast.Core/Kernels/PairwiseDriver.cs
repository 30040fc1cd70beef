using System.Numerics;
using RfmFast.Core.Level3;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Kernels;

/// <summary>
/// Distance and kernel matrices between the rows of X (n x d) and Z (m x d), optionally in the metric
/// M (d x d, symmetric): out(i, j) = f((x_i - z_j)^T M (x_i - z_j)).
/// </summary>
/// <remarks>
/// Euclidean: one GEMM -2 X Z^T with the norms and f fused in its epilogue. Mahalanobis: XM = X M and
/// ZM = Z M first (pooled, n d + m d elements), the norms x_i . (XM)_i, then the fused GEMM
/// -2 (XM) Z^T. The squared distance is formed by expansion, so for nearly equal points it carries an
/// absolute error of about eps (|x|^2 + |z|^2), and is clamped at 0.
/// </remarks>
static unsafe class PairwiseDriver
{
    public static void Run<T, TF>(IsaTier tier, int workers, TF f, ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> z,
        ReadOnlyMatrixView<T> metric, bool hasMetric, MatrixView<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TF : struct, IRadialTransform<T>
    {
        Validate(x, z, metric, hasMetric, result);
        var user = new User<T, TF>(workers, f, x, z, metric, hasMetric, result);
        TierDispatch.Run<T, User<T, TF>>(tier, ref user);
    }

    readonly ref struct User<T, TF>(int workers, TF f, ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> z,
        ReadOnlyMatrixView<T> metric, bool hasMetric, MatrixView<T> result) : ITierUser<T>
        where T : unmanaged, IFloatingPointIeee754<T> where TF : struct, IRadialTransform<T>
    {
        readonly ReadOnlyMatrixView<T> _x = x, _z = z, _metric = metric;
        readonly MatrixView<T> _result = result;

        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, T> where TVec : struct =>
            Run<TS, TVec, T, TF>(workers, f, _x, _z, _metric, hasMetric, _result);
    }

    static void Validate<T>(ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> z, ReadOnlyMatrixView<T> metric, bool hasMetric,
        MatrixView<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Cols != z.Cols)
            ThrowHelper.Argument(nameof(z), $"X has {x.Cols} columns and Z has {z.Cols}: the rows must have the same dimension.");
        if (result.Rows != x.Rows || result.Cols != z.Rows)
            ThrowHelper.Argument(nameof(result), $"The result is {result.Rows} x {result.Cols}; it must be {x.Rows} x {z.Rows} (rows of X by rows of Z).");
        Blas.CheckNoOverlap(result.Data, x.Data, nameof(x));
        Blas.CheckNoOverlap(result.Data, z.Data, nameof(z));
        if (!hasMetric)
            return;
        if (metric.Rows != x.Cols || metric.Cols != x.Cols)
            ThrowHelper.Argument(nameof(metric), $"M is {metric.Rows} x {metric.Cols}; it must be {x.Cols} x {x.Cols}.");
        Blas.CheckNoOverlap(result.Data, metric.Data, nameof(metric));
        // The expansion x'Mx + z'Mz - 2 x'Mz equals (x-z)'M(x-z) only for symmetric M.
        T scale = T.Zero;
        for (int i = 0; i < metric.Rows; i++)
            for (int j = 0; j < metric.Cols; j++)
                scale = T.Max(scale, T.Abs(metric[i, j]));
        T tol = scale * T.CreateTruncating(1e-5);
        for (int i = 0; i < metric.Rows; i++)
            for (int j = 0; j < i; j++)
                if (!(T.Abs(metric[i, j] - metric[j, i]) <= tol))
                    ThrowHelper.Argument(nameof(metric), $"M must be symmetric: M[{i},{j}] = {metric[i, j]} but M[{j},{i}] = {metric[j, i]}.");
    }

    static void Run<TS, TVec, T, TF>(int workers, TF f, ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> z,
        ReadOnlyMatrixView<T> metric, bool hasMetric, MatrixView<T> result)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        where TF : struct, IRadialTransform<T>
    {
        int n = x.Rows, m = z.Rows, d = x.Cols;
        if (n == 0 || m == 0)
            return;
        using var norms = PooledBuffer<T>.Rent(n + m);
        T* xn = norms.Pointer, zn = norms.Pointer + n;
        int mapped = hasMetric ? (n + m) * d : 0;
        using var transformed = PooledBuffer<T>.Rent(mapped);
        fixed (T* px = x.Data, pz = z.Data, pm = metric.Data, pr = result.Data)
        {
            T* left = px;
            nint ldLeft = x.Ld;
            if (hasMetric && d > 0)
            {
                T* xm = transformed.Pointer, zm = transformed.Pointer + (nint)n * d;
                Gemm<TS, TVec, T>(workers, px, x.Ld, pm, metric.Ld, xm, d, n, d, d);
                Gemm<TS, TVec, T>(workers, pz, z.Ld, pm, metric.Ld, zm, d, m, d, d);
                RowNorms.RowDots<TS, TVec, T>(px, x.Ld, xm, d, n, d, xn);
                RowNorms.RowDots<TS, TVec, T>(pz, z.Ld, zm, d, m, d, zn);
                left = xm;
                ldLeft = d;
            }
            else
            {
                RowNorms.RowDots<TS, TVec, T>(px, x.Ld, px, x.Ld, n, d, xn);
                RowNorms.RowDots<TS, TVec, T>(pz, z.Ld, pz, z.Ld, m, d, zn);
            }
            var p = new GemmProblem<T>
            {
                A = left, Lda = ldLeft, TransA = false, B = pz, Ldb = z.Ld, TransB = true, C = pr, Ldc = result.Ld,
                M = n, N = m, K = d, Alpha = T.CreateTruncating(-2.0), Beta = T.Zero,
            };
            // The same rows on both sides (the training kernel matrix): the diagonal is an exact 0 distance.
            bool selfPairs = px == pz && x.Ld == z.Ld && n == m;
            var epi = new PairwiseEpilogue<TS, TVec, T, TF>(xn, zn, f, selfPairs);
            GemmDriver<TS, TVec, T, PairwiseEpilogue<TS, TVec, T, TF>>.Run(p, epi, workers);
        }
    }

    /// <summary>C (rows x cols, dense) = A (rows x k) B (k x cols), no epilogue.</summary>
    static void Gemm<TS, TVec, T>(int workers, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, int rows, int k, int cols)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new GemmProblem<T>
        {
            A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc, M = rows, N = cols, K = k, Alpha = T.One, Beta = T.Zero,
        };
        GemmDriver<TS, TVec, T, NoEpilogue<T>>.Run(p, default, workers);
    }
}
