using System;
using System.Runtime.CompilerServices;
using RfmFast.Core.Kernels;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core.Linalg;

/// <summary>
/// R = B - A X in double, with A symmetric, read from the strict upper triangle of a float matrix and a
/// separate diagonal: exactly what is left of A after an in-place float Cholesky. This is the residual of
/// mixed-precision iterative refinement; it streams the upper triangle once per call.
/// </summary>
/// <remarks>
/// X and R are held transposed (c x n, one contiguous row per right-hand side) so both the row dot
/// products and the transposed axpys run over contiguous memory. Workers take row ranges of equal
/// triangle area and keep their own accumulator for the transposed half, summed at the end.
/// </remarks>
static unsafe class SymmetricResidual
{
    /// <summary>rt (c x n) = bt - A xt, A from <paramref name="a"/>'s strict upper triangle and <paramref name="diagonal"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(IsaTier tier, int workers, float* a, nint lda, double* diagonal, int n,
        double* xt, double* bt, double* rt, int c)
    {
        if (n == 0 || c == 0)
            return;
        workers = (long)n * n < 256L * 256 ? 1 : Math.Max(1, workers);
        using var partial = PooledBuffer<double>.Rent(workers * c * n + workers * n);
        ParallelJob<Job>.Run(new Job(tier, a, lda, diagonal, n, xt, c, partial.Pointer), workers);
        double* acc = partial.Pointer;
        for (int q = 0; q < c; q++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int w = 0; w < workers; w++)
                    s += acc[((nint)w * c + q) * n + i];
                rt[q * n + i] = bt[q * n + i] - s;
            }
        }
    }

    /// <summary>A band of rows of A per worker (equal areas of the triangle), each accumulating its own partial products.</summary>
    readonly struct Job(IsaTier tier, float* a, nint lda, double* diag, int n, double* xt, int c, double* acc) : IWorkerShare
    {
        readonly IsaTier _tier = tier;
        readonly float* _a = a;
        readonly nint _lda = lda;
        readonly double* _diag = diag, _xt = xt, _acc = acc;
        readonly int _n = n, _c = c;

        public void Execute(int worker, int workers)
        {
            // Row i costs n - i: boundaries at n (1 - sqrt(1 - w / workers)) give equal areas.
            int r0 = Boundary(_n, worker, workers), r1 = Boundary(_n, worker + 1, workers);
            double* acc = _acc + (nint)worker * _c * _n;
            double* row = _acc + (nint)workers * _c * _n + (nint)worker * _n;
            new Span<double>(acc, _c * _n).Clear();
            var rows = new RowsUser(this, r0, r1, acc, row);
            TierDispatch.Run<double, RowsUser>(_tier, ref rows);
        }

        /// <summary>This job's rows on one tier, from <see cref="TierDispatch"/>.</summary>
        readonly struct RowsUser(Job job, int r0, int r1, double* acc, double* row) : ITierUser<double>
        {
            public void Use<TS, TVec>() where TS : struct, ISimd<TVec, double> where TVec : struct =>
                job.Rows<TS, TVec>(r0, r1, acc, row);
        }

        static int Boundary(int n, int w, int workers) =>
            w >= workers ? n : (int)(n * (1 - Math.Sqrt(1 - (double)w / workers)));

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Rows<TS, TVec>(int r0, int r1, double* acc, double* row)
            where TS : struct, ISimd<TVec, double> where TVec : struct
        {
            int n = _n, c = _c;
            for (int i = r0; i < r1; i++)
            {
                int len = n - i - 1;
                float* ai = _a + i * _lda + i + 1;
                Widen<TS, TVec>(ai, row, len);
                for (int q = 0; q < c; q++)
                {
                    double* x = _xt + (nint)q * n;
                    double* y = acc + (nint)q * n;
                    // Row i of A times x: the diagonal, then the upper part as a dot product.
                    y[i] += _diag[i] * x[i] + RowNorms.Dot<TS, TVec, double>(row, x + i + 1, len);
                    // Column i of A (the same numbers, by symmetry) scaled by x_i, into the rows below i.
                    SpanOps.Axpy<TS, TVec, double>(x[i], row, y + i + 1, len);
                }
            }
        }
    }

    /// <summary>dst = (double)src on the tier <typeparamref name="TS"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen<TS, TVec>(float* src, double* dst, int n) where TS : struct, ISimd<TVec, double> where TVec : struct
    {
        int w = TS.Count, i = 0;
        for (; i <= n - w; i += w)
            TS.Store(dst + i, TS.LoadWidened(src + i));
        for (; i < n; i++)
            dst[i] = src[i];
    }
}
