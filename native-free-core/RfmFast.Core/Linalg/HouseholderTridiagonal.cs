using System;
using System.Runtime.CompilerServices;
using System.Threading;
using RfmFast.Core.Kernels;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core.Linalg;

/// <summary>
/// Householder reduction of a symmetric matrix to tridiagonal form, T = Q^T A Q (LAPACK sytrd, one
/// reflector per column), and the formation of Q^T in place of the reflectors (orgtr).
/// </summary>
/// <remarks>
/// <para>Storage: the matrix lives in the upper triangle of a row-major buffer (row k, columns k..n-1), so
/// "column k below the diagonal", which reflector k annihilates, is the contiguous tail of row k. That is
/// the transpose of the lower triangle the public API reads.</para>
/// <para>Reflector k is H_k = I - tau_k v_k v_k^T with v_k zero up to index k, v_k[k+1] = 1, and the rest
/// stored in row k, columns k+2..n-1 (the 1 is stored too). T's diagonal goes to d, its off-diagonal to e
/// (e[k] couples k and k+1).</para>
/// <para>The reduction is fused (one pass over the trailing matrix per column): step k applies the
/// rank-2 update A -= v w^T + w v^T of step k-1 to each trailing row and, while the row is in registers,
/// accumulates p = A v_k for step k. Every trailing element is read and written once per step instead of
/// twice (symv, then syr2); the work is level 2, memory-bound, and split over the workers in fixed row parts
/// when the trailing matrix is large (see <see cref="ParallelPass"/>).</para>
/// </remarks>
static unsafe class HouseholderTridiagonal<TS, TVec>
    where TS : struct, ISimd<TVec, double>
    where TVec : struct
{
    /// <summary>Trailing orders below this run the fused pass on the calling thread only. A parallel step is
    /// one fork-join of the worker pool; below this order the step is too short for a second core to pay for
    /// the hand-off (see bench/results/notes/core-measurements.md).</summary>
    const int ParallelOrder = 640;

    /// <summary>Trailing orders below this form Q^T's blocks with a single-threaded GEMM (the same trade-off).</summary>
    const int ParallelBlockOrder = 384;

    /// <summary>Reflectors per block when Q^T is formed with GEMM (compact WY).</summary>
    const int BlockSize = 32;

    /// <summary>Below this many reflectors Q^T is formed by rank-1 updates only.</summary>
    const int UnblockedTail = 64;

    /// <summary>
    /// Reduces the n x n symmetric matrix in the upper triangle of <paramref name="a"/> to tridiagonal form.
    /// </summary>
    /// <param name="a">Row-major, leading dimension <paramref name="lda"/>; the upper triangle (diagonal
    /// included) is read and overwritten: row k ends with reflector k in columns k+1..n-1. The strict lower
    /// triangle is neither read nor written.</param>
    /// <param name="lda">The leading dimension.</param>
    /// <param name="n">The order.</param>
    /// <param name="d">n: T's diagonal.</param>
    /// <param name="e">n: T's off-diagonal in e[0..n-2]; e[n-1] = 0.</param>
    /// <param name="tau">n: the reflector scales; tau[n-2] = tau[n-1] = 0.</param>
    /// <param name="work">At least <see cref="WorkLength"/>(n, workers) doubles.</param>
    /// <param name="workers">Workers for the large trailing passes.</param>
    public static void Reduce(double* a, nint lda, int n, double* d, double* e, double* tau, double* work, int workers)
    {
        int stride = RoundUp(n, 8);
        // Two alternating vectors for w (the pending update) and p (the new product), one zero vector
        // standing for "no pending update" at step 0, and per-worker partial sums of p.
        double* wPrev, wNext = work + stride, zero = work + 2 * stride, partial = work + 3 * stride;
        new Span<double>(zero, n).Clear();
        double* vPrev = zero;
        wPrev = zero;
        for (int k = 0; k < n; k++)
        {
            double* rowK = a + k * lda;
            UpdateRow(rowK, k, n, vPrev, wPrev);
            d[k] = rowK[k];
            int m = n - k - 1;
            if (m == 0)
            {
                e[k] = 0;
                tau[k] = 0;
                break;
            }
            double t = Reflector(rowK + k + 1, m, out double beta);
            e[k] = beta;
            tau[k] = t;
            double* v = rowK; // v[j] for j > k, indexed by the absolute column.
            double* p = wPrev == work ? wNext : work;
            int jobs = m >= ParallelOrder ? workers : 1;
            if (jobs > 1)
                ParallelPass(a, lda, k + 1, n, vPrev, wPrev, v, p, partial, stride, jobs);
            else
            {
                new Span<double>(p + k + 1, m).Clear();
                Pass(a, lda, k + 1, n, n, vPrev, wPrev, v, p);
            }
            // w = tau p - (tau^2 / 2)(p . v) v, so that H A H = A - v w^T - w v^T.
            double pv = RowNorms.Dot<TS, TVec, double>(p + k + 1, v + k + 1, m);
            double half = 0.5 * t * t * pv;
            for (int j = k + 1; j < n; j++)
                p[j] = t * p[j] - half * v[j];
            vPrev = v;
            wPrev = p;
        }
    }

    /// <summary>The doubles <see cref="Reduce"/> needs in its work buffer.</summary>
    public static int WorkLength(int n, int workers) => RoundUp(n, 8) * (3 + PartsPerWorker * Math.Max(workers, 1));

    static int RoundUp(int n, int m) => (n + m - 1) / m * m;

    /// <summary>
    /// Overwrites x (length m) with the reflector that maps it to beta e_1: x[0] = 1, x[1..] = v[1..];
    /// returns tau (0 when x[1..] is already zero, in which case beta = x[0] and H = I).
    /// </summary>
    static double Reflector(double* x, int m, out double beta)
    {
        double alpha = x[0];
        double sigma = m > 1 ? RowNorms.Dot<TS, TVec, double>(x + 1, x + 1, m - 1) : 0;
        x[0] = 1;
        if (sigma == 0)
        {
            beta = alpha;
            return 0;
        }
        // The caller scaled the matrix to max |a_ij| in [1, 2), so the sum of squares cannot overflow.
        double norm = Math.Sqrt(alpha * alpha + sigma);
        beta = alpha >= 0 ? -norm : norm;
        double scale = 1 / (alpha - beta);
        Scale(x + 1, scale, m - 1);
        return (beta - alpha) / beta;
    }

    /// <summary>row[j] -= v[k] w[j] + w[k] v[j] for j = k..n-1 (the pending update, applied to row k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void UpdateRow(double* row, int k, int n, double* v, double* w)
    {
        double nvk = -v[k], nwk = -w[k];
        TVec a = TS.Splat(nvk), b = TS.Splat(nwk);
        int j = k, cw = TS.Count;
        for (; j <= n - cw; j += cw)
            TS.Store(row + j, TS.MulAdd(b, TS.Load(v + j), TS.MulAdd(a, TS.Load(w + j), TS.Load(row + j))));
        for (; j < n; j++)
            row[j] += nvk * w[j] + nwk * v[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Scale(double* x, double s, int n)
    {
        TVec vs = TS.Splat(s);
        int j = 0, cw = TS.Count;
        for (; j <= n - cw; j += cw)
            TS.Store(x + j, TS.Mul(vs, TS.Load(x + j)));
        for (; j < n; j++)
            x[j] *= s;
    }

    /// <summary>
    /// Rows r0..r1-1 of the trailing matrix: apply the pending update A -= vp wp^T + wp vp^T, then add the
    /// row's share of p = A v (the row's dot product into p[i], the row times v_i into p[i..n-1], the
    /// symmetric half). Only columns i..<paramref name="n"/>-1 of row i are touched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Pass(double* a, nint lda, int r0, int r1, int n, double* vp, double* wp, double* v, double* p)
    {
        int cw = TS.Count;
        for (int i = r0; i < r1; i++)
        {
            double* row = a + i * lda;
            double nvi = -vp[i], nwi = -wp[i], vi = v[i];
            // Columns i..n-1: a scalar head up to the first vector boundary, then aligned vectors (every
            // operand row starts 64-byte aligned, so no load or store splits a cache line), a scalar tail.
            int head = Math.Min(n, (i + cw - 1) / cw * cw), j = i;
            double s = 0;
            for (; j < head; j++)
            {
                double x = row[j] + nvi * wp[j] + nwi * vp[j];
                row[j] = x;
                s += x * v[j];
                p[j] += vi * x;
            }
            TVec a1 = TS.Splat(nvi), b1 = TS.Splat(nwi), c1 = TS.Splat(vi);
            TVec s0 = TS.Zero, s1 = TS.Zero;
            for (; j <= n - 2 * cw; j += 2 * cw)
            {
                TVec x0 = TS.MulAdd(b1, TS.Load(vp + j), TS.MulAdd(a1, TS.Load(wp + j), TS.Load(row + j)));
                TVec x1 = TS.MulAdd(b1, TS.Load(vp + j + cw), TS.MulAdd(a1, TS.Load(wp + j + cw), TS.Load(row + j + cw)));
                TS.Store(row + j, x0);
                TS.Store(row + j + cw, x1);
                s0 = TS.MulAdd(x0, TS.Load(v + j), s0);
                s1 = TS.MulAdd(x1, TS.Load(v + j + cw), s1);
                TS.Store(p + j, TS.MulAdd(c1, x0, TS.Load(p + j)));
                TS.Store(p + j + cw, TS.MulAdd(c1, x1, TS.Load(p + j + cw)));
            }
            for (; j <= n - cw; j += cw)
            {
                TVec x0 = TS.MulAdd(b1, TS.Load(vp + j), TS.MulAdd(a1, TS.Load(wp + j), TS.Load(row + j)));
                TS.Store(row + j, x0);
                s0 = TS.MulAdd(x0, TS.Load(v + j), s0);
                TS.Store(p + j, TS.MulAdd(c1, x0, TS.Load(p + j)));
            }
            s += TS.Sum(TS.Add(s0, s1));
            for (; j < n; j++)
            {
                double x = row[j] + nvi * wp[j] + nwi * vp[j];
                row[j] = x;
                s += x * v[j];
                p[j] += vi * x;
            }
            // The loop added v_i a_ii to p[i] as part of the column; the row's dot product has it already.
            p[i] += s - vi * row[i];
        }
    }

    /// <summary>Parts per worker of the parallel pass.</summary>
    const int PartsPerWorker = 8;

    /// <summary>
    /// The fused pass on several workers. The rows are cut into <see cref="PartsPerWorker"/> x workers parts at
    /// fixed row boundaries (equal areas of the whole triangle), each with its own copy of p, and part q
    /// belongs to worker q mod workers: a row stays on the same core from step to step, so its cache keeps
    /// it, and the parts left as the trailing matrix shrinks stay spread over the workers. A worker that has
    /// done its own parts takes unclaimed ones of the others (a late worker does not hold up the step). The
    /// copies are added in part order, so the result does not depend on who ran what.
    /// </summary>
    static void ParallelPass(double* a, nint lda, int r0, int n, double* vp, double* wp, double* v, double* p,
        double* partial, int stride, int workers)
    {
        int parts = PartsPerWorker * workers;
        for (int q = 0; q < parts; q++)
        {
            int b0 = Math.Max(r0, PartBoundary(n, q, parts));
            if (b0 < PartBoundary(n, q + 1, parts))
                new Span<double>(partial + (nint)q * stride + b0, n - b0).Clear();
        }
        var job = PassJob.Get();
        job.Set(a, lda, r0, n, vp, wp, v, partial, stride, parts, workers);
        try
        {
            WorkerPool.Run(job, workers);
        }
        finally
        {
            job.Clear();
        }
        int m = n - r0;
        new Span<double>(p + r0, m).Clear();
        for (int q = 0; q < parts; q++)
        {
            int b0 = Math.Max(r0, PartBoundary(n, q, parts));
            if (b0 >= PartBoundary(n, q + 1, parts))
                continue;
            double* src = partial + (nint)q * stride;
            int j = b0, cw = TS.Count;
            for (; j <= n - cw; j += cw)
                TS.Store(p + j, TS.Add(TS.Load(p + j), TS.Load(src + j)));
            for (; j < n; j++)
                p[j] += src[j];
        }
    }

    /// <summary>Row boundary q of <paramref name="parts"/> equal areas of the n x n upper triangle (row r has
    /// n - r elements).</summary>
    static int PartBoundary(int n, int q, int parts) =>
        q >= parts ? n : (int)(n * (1 - Math.Sqrt(1 - (double)q / parts)));

    sealed class PassJob : IParallelWork
    {
        [ThreadStatic] static PassJob? t_cached;
        double* _a, _vp, _wp, _v, _partial;
        nint _lda;
        int _r0, _n, _stride, _parts, _owners;
        int[] _claimed = new int[2 * PartsPerWorker];

        public static PassJob Get() => t_cached ??= new PassJob();

        public void Set(double* a, nint lda, int r0, int n, double* vp, double* wp, double* v, double* partial, int stride,
            int parts, int owners)
        {
            _a = a;
            _lda = lda;
            _r0 = r0;
            _n = n;
            _vp = vp;
            _wp = wp;
            _v = v;
            _partial = partial;
            _stride = stride;
            _parts = parts;
            _owners = owners;
            if (_claimed.Length < parts)
                _claimed = new int[parts];
            new Span<int>(_claimed, 0, parts).Clear();
        }

        public void Clear() => _a = _vp = _wp = _v = _partial = null;

        public void Execute(int worker, int workers)
        {
            // Own parts first, then whatever the others have not started.
            for (int q = worker; q < _parts; q += _owners)
                Run(q);
            for (int q = 0; q < _parts; q++)
                Run(q);
        }

        void Run(int q)
        {
            int b0 = Math.Max(_r0, PartBoundary(_n, q, _parts)), b1 = PartBoundary(_n, q + 1, _parts);
            if (b1 <= b0 || Interlocked.Exchange(ref _claimed[q], 1) != 0)
                return;
            Pass(_a, _lda, b0, b1, _n, _vp, _wp, _v, _partial + (nint)q * _stride);
        }
    }

    /// <summary>
    /// Overwrites the buffer of <see cref="Reduce"/> with Q^T (n x n), Q = H_0 H_1 ... H_{n-3}: row i of
    /// the result is column i of Q. Columns n..<paramref name="colsPadded"/>-1 of every row are set to 0.
    /// </summary>
    /// <remarks>
    /// Q^T = H_{n-3} ... H_0 is built by right-multiplying the identity by H_{n-3} first, so step k only
    /// touches rows and columns k+1..n-1 and never the rows that still hold the reflectors it needs. The
    /// last <see cref="UnblockedTail"/> or so reflectors are applied one by one (a dot product and an axpy
    /// per row); the rest in blocks of <see cref="BlockSize"/> as C -= (C Y) (Y T)^T with the core's GEMM,
    /// where the block product H_k ... H_{k+nb-1} = I - Y T Y^T (LAPACK larft, forward, columnwise).
    /// </remarks>
    public static void FormQt(IsaTier tier, int workers, double* a, nint lda, int n, int colsPadded, double* tau)
    {
        int reflectors = Math.Max(n - 2, 0);
        // The identity on the indices no reflector reaches (only the last one when n >= 2).
        for (int i = reflectors + 1; i < n; i++)
        {
            double* row = a + i * lda;
            for (int j = reflectors + 1; j < n; j++)
                row[j] = i == j ? 1 : 0;
        }
        // Blocks start at k0 = 7 + 32 j, so that each trailing block (from row and column k0 + 1) starts on a
        // 64-byte boundary: the GEMM splits its columns between the workers at multiples of 16 doubles from
        // there, and a split inside a cache line makes the two cores fight over it (slower on two workers than
        // on one). Reflectors 0..6 form a last, narrow block.
        int split = reflectors < UnblockedTail + BlockSize + 7 ? 0 : (reflectors - UnblockedTail - 7) / BlockSize * BlockSize + 7;
        for (int k = reflectors - 1; k >= split; k--)
            ApplyOne(a, lda, n, k, tau[k]);
        if (split > 0)
        {
            int mMax = n - 1, stride = RoundUp(mMax, 8);
            using var buf = PooledBuffer<double>.Rent(2 * BlockSize * stride + mMax * BlockSize + 2 * BlockSize * BlockSize);
            double* yt = buf.Pointer, ut = yt + BlockSize * stride, m1 = ut + BlockSize * stride;
            double* tri = m1 + mMax * BlockSize, gram = tri + BlockSize * BlockSize;
            for (int k0 = split - BlockSize; k0 >= 7; k0 -= BlockSize)
                ApplyBlock(tier, workers, a, lda, n, k0, BlockSize, tau, yt, ut, m1, tri, gram, stride);
            ApplyBlock(tier, workers, a, lda, n, 0, 7, tau, yt, ut, m1, tri, gram, stride);
        }
        // Q's first row and column are e_0; then the padding the rotation kernels sweep over.
        for (int i = 0; i < n; i++)
        {
            a[i * lda] = i == 0 ? 1 : 0;
            a[i] = i == 0 ? 1 : 0;
        }
        if (colsPadded > n)
        {
            for (int i = 0; i < n; i++)
                new Span<double>(a + i * lda + n, colsPadded - n).Clear();
        }
    }

    /// <summary>Sets row and column k+1 of the trailing block to the identity's, then right-multiplies the
    /// trailing block (rows and columns k+1..n-1) by H_k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ApplyOne(double* a, nint lda, int n, int k, double t)
    {
        int c0 = k + 1, m = n - c0;
        double* first = a + c0 * lda;
        new Span<double>(first + c0, m).Clear();
        first[c0] = 1;
        for (int r = c0 + 1; r < n; r++)
            a[r * lda + c0] = 0;
        if (t == 0)
            return;
        double* v = a + k * lda + c0;
        for (int r = c0; r < n; r++)
        {
            double* row = a + r * lda + c0;
            double s = -t * RowNorms.Dot<TS, TVec, double>(row, v, m);
            Axpy(s, v, row, m);
        }
    }

    static void ApplyBlock(IsaTier tier, int workers, double* a, nint lda, int n, int k0, int nb, double* tau,
        double* yt, double* ut, double* m1, double* tri, double* gram, int stride)
    {
        int c0 = k0 + 1, m = n - c0;
        // Y^T: row j is v_{k0+j} from column c0 on (zeros, the unit, then the stored tail).
        for (int j = 0; j < nb; j++)
        {
            double* y = yt + j * stride;
            double* src = a + (k0 + j) * lda + c0;
            new Span<double>(y, j).Clear();
            new Span<double>(src + j, m - j).CopyTo(new Span<double>(y + j, m - j));
            y[j] = 1;
        }
        // The block's rows and columns become the identity's before the product.
        for (int j = 0; j < nb; j++)
        {
            double* row = a + (c0 + j) * lda + c0;
            new Span<double>(row, m).Clear();
            row[j] = 1;
        }
        for (int r = c0 + nb; r < n; r++)
            new Span<double>(a + r * lda + c0, nb).Clear();
        // T (upper triangular): T[j][j] = tau_j, T[0:j, j] = -tau_j T[0:j, 0:j] (Y[:, 0:j]^T y_j), from the
        // Gram matrix Y^T Y (one small GEMM rather than nb^2 / 2 dot products).
        Level3Calls.Gemm(tier, 1, false, true, nb, nb, m, 1.0, yt, stride, yt, stride, 0.0, gram, nb);
        new Span<double>(tri, nb * nb).Clear();
        for (int j = 0; j < nb; j++)
        {
            double t = tau[k0 + j];
            for (int i = 0; i < j; i++)
            {
                double s = 0;
                for (int l = i; l < j; l++)
                    s += tri[i * nb + l] * gram[l * nb + j];
                tri[i * nb + j] = -t * s;
            }
            tri[j * nb + j] = t;
        }
        // U^T = T^T Y^T.
        Level3Calls.Gemm(tier, 1, true, false, nb, m, nb, 1.0, tri, nb, yt, stride, 0.0, ut, stride);
        // C -= (C Y) U^T, C the trailing block.
        double* c = a + c0 * lda + c0;
        int jobs = m >= ParallelBlockOrder ? workers : 1;
        Level3Calls.Gemm(tier, jobs, false, true, m, nb, m, 1.0, c, lda, yt, stride, 0.0, m1, nb);
        Level3Calls.Gemm(tier, jobs, false, false, m, m, nb, -1.0, m1, nb, ut, stride, 1.0, c, lda);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Axpy(double alpha, double* x, double* y, int n)
    {
        TVec va = TS.Splat(alpha);
        int j = 0, cw = TS.Count;
        for (; j <= n - cw; j += cw)
            TS.Store(y + j, TS.MulAdd(va, TS.Load(x + j), TS.Load(y + j)));
        for (; j < n; j++)
            y[j] += alpha * x[j];
    }

    /// <summary>
    /// x &lt;- H_0 H_1 ... H_{n-3} x for each of <paramref name="count"/> vectors of length n stored as rows of
    /// <paramref name="x"/>: maps eigenvectors of T to eigenvectors of A without forming Q. The reflectors are
    /// the outer loop, so each is read once and the vectors (in groups that fit in L2) stay in cache.
    /// </summary>
    public static void BackTransform(double* reflectors, nint lda, int n, double* tau, double* x, nint ldx, int count)
    {
        int group = Math.Max(1, (1 << 17) / Math.Max(n, 1));
        for (int q0 = 0; q0 < count; q0 += group)
        {
            int q1 = Math.Min(count, q0 + group);
            for (int k = n - 3; k >= 0; k--)
            {
                double t = tau[k];
                if (t == 0)
                    continue;
                int c0 = k + 1, m = n - c0;
                double* v = reflectors + k * lda + c0;
                for (int q = q0; q < q1; q++)
                {
                    double* z = x + q * ldx + c0;
                    Axpy(-t * RowNorms.Dot<TS, TVec, double>(v, z, m), v, z, m);
                }
            }
        }
    }
}
