using System;
using System.Runtime.CompilerServices;
using System.Threading;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core.Linalg;

/// <summary>
/// Collects the QL iteration's rotation sweeps and applies them in batches to the rows of Q^T, so that
/// row i of Q^T ends as the eigenvector of d_i.
/// </summary>
/// <remarks>
/// <para>A rotation on the pair (i, i+1) mixes two rows of Q^T and acts the same on every column, so a
/// batch of sweeps is applied one column strip at a time (four vectors wide): the strip of all rows stays
/// in L2 across the batch, the rotation coefficients are read once per strip, and the strips are split
/// over the workers in contiguous ranges with no synchronization inside a batch (see <see cref="Job"/>).</para>
/// <para>Within a sweep the rotations run down the rows (top, top-1, ...), and consecutive rotations share
/// a row: that row is carried in registers, so each rotation costs one load and one store per vector.
/// Consecutive sweeps whose ranges mostly overlap are applied together, the second one row behind the first
/// (padded to the union of the ranges with identity rotations): each row is then loaded and stored once
/// per two sweeps.</para>
/// <para>Rotations are applied in scaled form (fast Givens): row r is stored divided by a scale sigma_r, so a
/// rotation costs two multiply-adds per vector instead of two multiplies and two multiply-adds. With
/// X = row i+1 and Y = row i as stored, a rotation with |c| &gt;= 1/16 (about 98% of them) becomes
/// X' = X + alpha Y, Y' = Y + beta X, alpha = (s/c)(sigma_i / sigma_i+1), beta = -(s/c)(sigma_i+1 / sigma_i),
/// both scales multiplied by c. Each rounding is still relative to |c| |a_i| + |s| |a_i+1| in the true rows,
/// as for a plain rotation, so the method is as accurate; only the range needs care. The few rotations with
/// |c| &lt; 1/16 take a rarely mispredicted branch that applies the full 2 x 2 map and resets both scales
/// to 1. Otherwise scales shrink by at most 1/16 per touch and a row is touched at most twice per sweep:
/// a batch is applied once a scale falls below 2^-800 (so none goes below 2^-808), rows whose scale fell
/// below 2^-100 are rescaled after each batch, so the stored values stay below 2^808;
/// <see cref="Finish"/> multiplies every row by its scale.</para>
/// </remarks>
unsafe struct EigenRotationSink<TS, TVec> : ITridiagonalRotationSink
    where TS : struct, ISimd<TVec, double>
    where TVec : struct
{
    readonly double* _cs, _padded;
    readonly int* _sweeps, _plan;
    readonly double* _qt;
    readonly double* _sigma;
    readonly nint _ld;
    readonly int _n, _cols, _capacity, _workers;
    int _rotations, _sweepCount, _top, _row;
    bool _scalesLow;

    /// <summary>Sweeps per batch at most (the size of the descriptor buffers). The scales bound the batch
    /// too: once one falls below 2^-800 the batch is applied at the next sweep (a sweep touches a row at most
    /// twice, each time shrinking its scale by at most 1/16).</summary>
    public const int MaxSweeps = 1024;

    /// <summary>Doubles per recorded rotation: alpha, beta, 0 (scaled form); or the four entries of the
    /// full map (p[2] != 0 marks it).</summary>
    public const int Stride = 4;

    /// <summary>Rotations with |c| below this take the full (unscaled) path.</summary>
    const double ScaledFrom = 1.0 / 16;

    static readonly double s_rescaleBelow = Math.ScaleB(1.0, -100);
    static readonly double s_flushBelow = Math.ScaleB(1.0, -800);

    /// <summary>The rotations a batch holds for order <paramref name="n"/>: at least one full sweep, and about
    /// 0.5 MB of coefficients, streamed once per strip; large batches keep the fork-joins of the worker pool
    /// few (one per batch).</summary>
    public static int Capacity(int n) => Math.Max(n, 16384);

    /// <summary>The doubles of the coefficient buffer: the recorded batch and its padded copy (pairs padded to
    /// their union, which is at most 3/4 of the pair's length, so the copy is at most 3/2 of the batch).</summary>
    public static int CoefficientLength(int capacity) => Stride * (capacity + 2 * capacity);

    /// <summary>The ints of the sweep buffer: descriptors and work items.</summary>
    public static int SweepLength => 2 * MaxSweeps + 4 * MaxSweeps;

    /// <param name="qt">Q^T, n rows of <paramref name="cols"/> columns (a multiple of 32) with leading dimension
    /// <paramref name="ld"/>; the columns past n must hold finite numbers (zeros).</param>
    /// <param name="ld">The leading dimension of Q^T.</param>
    /// <param name="cols">The columns swept: n rounded up to a multiple of 32.</param>
    /// <param name="n">The order: rows of Q^T.</param>
    /// <param name="cs"><see cref="CoefficientLength"/> doubles: the coefficients as recorded, then the padded copy.</param>
    /// <param name="sweeps"><see cref="SweepLength"/> ints: the sweep descriptors, then the work items.</param>
    /// <param name="sigma">n doubles for the row scales.</param>
    /// <param name="capacity">From <see cref="Capacity"/>.</param>
    /// <param name="workers">Workers for the batches.</param>
    public EigenRotationSink(double* qt, nint ld, int n, int cols, double* cs, int* sweeps, double* sigma, int capacity, int workers)
    {
        _qt = qt;
        _ld = ld;
        _n = n;
        _cols = cols;
        _cs = cs;
        _padded = cs + Stride * (nint)capacity;
        _sweeps = sweeps;
        _plan = sweeps + 2 * MaxSweeps;
        _sigma = sigma;
        _capacity = capacity;
        _workers = workers;
        new Span<double>(sigma, n).Fill(1);
    }

    public void Begin(int top, int maxCount)
    {
        if (_rotations + maxCount > _capacity || _sweepCount == MaxSweeps || _scalesLow)
            Flush();
        _top = top;
        _row = top;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Rotate(double c, double s)
    {
        int i = _row--;
        double sy = _sigma[i], sx = _sigma[i + 1];
        double* p = _cs + Stride * (nint)_rotations++;
        if (Math.Abs(c) >= ScaledFrom)
        {
            double t = s / c, r = sy / sx;
            p[0] = t * r;
            p[1] = -t / r;
            p[2] = 0;
            double nx = c * sx, ny = c * sy;
            _sigma[i + 1] = nx;
            _sigma[i] = ny;
            if (Math.Min(Math.Abs(nx), Math.Abs(ny)) < s_flushBelow)
                _scalesLow = true;
        }
        else
        {
            // Row i+1 <- (c sigma_x) X + (s sigma_y) Y, row i <- (-s sigma_x) X + (c sigma_y) Y, scales 1.
            // |s| > 0.99 here, so p[2] is not 0.
            p[0] = c * sx;
            p[1] = s * sy;
            p[2] = -s * sx;
            p[3] = c * sy;
            _sigma[i + 1] = 1;
            _sigma[i] = 1;
        }
    }

    public void End(int count)
    {
        if (count == 0)
            return;
        _sweeps[2 * _sweepCount] = _top;
        _sweeps[2 * _sweepCount + 1] = count;
        _sweepCount++;
    }

    /// <summary>Applies every recorded sweep to Q^T and empties the batch.</summary>
    public void Flush()
    {
        if (_sweepCount == 0)
            return;
        int items = Plan();
        int strips = _cols / (4 * TS.Count);
        long work = (long)_rotations * _cols;
        // Below about 0.3 ms of work a batch is not worth a fork-join.
        int workers = work < 1L << 21 ? 1 : Math.Min(_workers, strips);
        if (workers <= 1)
            ApplyStrips(_qt, _ld, 0, strips, _padded, _plan, items);
        else
        {
            var job = Job.Get();
            job.Set(_qt, _ld, strips, _padded, _plan, items, workers);
            try
            {
                WorkerPool.Run(job, workers);
            }
            finally
            {
                job.Clear();
            }
        }
        _rotations = 0;
        _sweepCount = 0;
        _scalesLow = false;
        for (int i = 0; i < _n; i++)
        {
            if (Math.Abs(_sigma[i]) < s_rescaleBelow)
                Rescale(i);
        }
    }

    /// <summary>
    /// Turns the batch into work items: pairs of consecutive sweeps whose row ranges mostly overlap, padded
    /// to their union with identity rotations (alpha = beta = 0), and single sweeps. Returns the item count;
    /// item q is (top, count, offset of the first sweep's coefficients, offset of the second's or -1), the
    /// offsets in doubles into the padded copy.
    /// </summary>
    int Plan()
    {
        int items = 0, q = 0;
        nint used = 0;
        double* src = _cs;
        while (q < _sweepCount)
        {
            int topA = _sweeps[2 * q], countA = _sweeps[2 * q + 1];
            double* coefA = src;
            src += Stride * countA;
            int* item = _plan + 4 * items++;
            if (q + 1 < _sweepCount)
            {
                int topB = _sweeps[2 * q + 2], countB = _sweeps[2 * q + 3];
                int top = Math.Max(topA, topB), bottom = Math.Min(topA - countA, topB - countB) + 1;
                int union = top - bottom + 1;
                if (4 * union <= 3 * (countA + countB))
                {
                    item[0] = top;
                    item[1] = union;
                    item[2] = (int)used;
                    Pad(coefA, topA, countA, top, union, _padded + used);
                    used += Stride * union;
                    item[3] = (int)used;
                    Pad(src, topB, countB, top, union, _padded + used);
                    used += Stride * union;
                    src += Stride * countB;
                    q += 2;
                    continue;
                }
            }
            item[0] = topA;
            item[1] = countA;
            item[2] = (int)used;
            item[3] = -1;
            new Span<double>(coefA, Stride * countA).CopyTo(new Span<double>(_padded + used, Stride * countA));
            used += Stride * countA;
            q++;
        }
        return items;
    }

    /// <summary>Writes the sweep (top, count) over the rows top..top-union+1 of a wider range, identity
    /// rotations (all zero: the scaled form with alpha = beta = 0) where the sweep does not reach.</summary>
    static void Pad(double* coef, int sweepTop, int count, int top, int union, double* dst)
    {
        int before = top - sweepTop;
        new Span<double>(dst, Stride * union).Clear();
        new Span<double>(coef, Stride * count).CopyTo(new Span<double>(dst + Stride * before, Stride * count));
    }

    /// <summary>Applies what is left and multiplies every row by its scale: Q^T holds the true rows again.</summary>
    public void Finish()
    {
        Flush();
        for (int i = 0; i < _n; i++)
        {
            if (_sigma[i] != 1)
                Rescale(i);
        }
    }

    void Rescale(int i)
    {
        double* row = _qt + i * _ld;
        TVec f = TS.Splat(_sigma[i]);
        for (int j = 0; j < _cols; j += TS.Count)
            TS.Store(row + j, TS.Mul(f, TS.Load(row + j)));
        _sigma[i] = 1;
    }

    /// <summary>Strips s0..s1-1 (each 4 vectors wide), every planned item in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ApplyStrips(double* qt, nint ld, int s0, int s1, double* coefs, int* plan, int items)
    {
        int w = TS.Count;
        for (int strip = s0; strip < s1; strip++)
        {
            double* col = qt + strip * 4 * w;
            for (int q = 0; q < items; q++)
            {
                int* item = plan + 4 * q;
                int top = item[0], count = item[1];
                double* coefA = coefs + item[2];
                TVec o0, o1, o2, o3;
                // The carried row: i + 1 of the current rotation, starting with top + 1.
                double* row = col + (top + 1) * ld;
                TVec x0 = TS.Load(row), x1 = TS.Load(row + w), x2 = TS.Load(row + 2 * w), x3 = TS.Load(row + 3 * w);
                row -= ld;
                if (item[3] < 0)
                {
                    for (int r = 0; r < count; r++, row -= ld, coefA += Stride)
                    {
                        Rotate(coefA, TS.Load(row), TS.Load(row + w), TS.Load(row + 2 * w), TS.Load(row + 3 * w),
                            ref x0, ref x1, ref x2, ref x3, out o0, out o1, out o2, out o3);
                        Store(row + ld, w, o0, o1, o2, o3);
                    }
                    Store(row + ld, w, x0, x1, x2, x3);
                    continue;
                }
                // Two sweeps at once, the second one row behind: A's rotation at i finishes row i + 1, which
                // B's rotation at i + 1 takes straight from registers; only B's results are stored.
                double* coefB = coefs + item[3];
                Rotate(coefA, TS.Load(row), TS.Load(row + w), TS.Load(row + 2 * w), TS.Load(row + 3 * w),
                    ref x0, ref x1, ref x2, ref x3, out TVec z0, out TVec z1, out TVec z2, out TVec z3);
                row -= ld;
                coefA += Stride;
                for (int r = 1; r < count; r++, row -= ld, coefA += Stride, coefB += Stride)
                {
                    Rotate(coefA, TS.Load(row), TS.Load(row + w), TS.Load(row + 2 * w), TS.Load(row + 3 * w),
                        ref x0, ref x1, ref x2, ref x3, out o0, out o1, out o2, out o3);
                    Rotate(coefB, o0, o1, o2, o3, ref z0, ref z1, ref z2, ref z3, out o0, out o1, out o2, out o3);
                    Store(row + 2 * ld, w, o0, o1, o2, o3);
                }
                Rotate(coefB, x0, x1, x2, x3, ref z0, ref z1, ref z2, ref z3, out o0, out o1, out o2, out o3);
                Store(row + 2 * ld, w, o0, o1, o2, o3);
                Store(row + ld, w, z0, z1, z2, z3);
            }
        }
    }

    /// <summary>One rotation on four vectors: y is row i as stored, x the carried row i + 1; returns the new
    /// row i + 1 in o and leaves the new row i in x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Rotate(double* coef, TVec y0, TVec y1, TVec y2, TVec y3, ref TVec x0, ref TVec x1, ref TVec x2, ref TVec x3,
        out TVec o0, out TVec o1, out TVec o2, out TVec o3)
    {
        if (coef[2] == 0)
        {
            // Scaled form: X + alpha Y, and Y + beta X carried.
            TVec alpha = TS.Splat(coef[0]), beta = TS.Splat(coef[1]);
            o0 = TS.MulAdd(alpha, y0, x0);
            o1 = TS.MulAdd(alpha, y1, x1);
            o2 = TS.MulAdd(alpha, y2, x2);
            o3 = TS.MulAdd(alpha, y3, x3);
            x0 = TS.MulAdd(beta, x0, y0);
            x1 = TS.MulAdd(beta, x1, y1);
            x2 = TS.MulAdd(beta, x2, y2);
            x3 = TS.MulAdd(beta, x3, y3);
        }
        else
        {
            TVec p0 = TS.Splat(coef[0]), p1 = TS.Splat(coef[1]), p2 = TS.Splat(coef[2]), p3 = TS.Splat(coef[3]);
            o0 = TS.MulAdd(p1, y0, TS.Mul(p0, x0));
            o1 = TS.MulAdd(p1, y1, TS.Mul(p0, x1));
            o2 = TS.MulAdd(p1, y2, TS.Mul(p0, x2));
            o3 = TS.MulAdd(p1, y3, TS.Mul(p0, x3));
            x0 = TS.MulAdd(p3, y0, TS.Mul(p2, x0));
            x1 = TS.MulAdd(p3, y1, TS.Mul(p2, x1));
            x2 = TS.MulAdd(p3, y2, TS.Mul(p2, x2));
            x3 = TS.MulAdd(p3, y3, TS.Mul(p2, x3));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(double* row, int w, TVec v0, TVec v1, TVec v2, TVec v3)
    {
        TS.Store(row, v0);
        TS.Store(row + w, v1);
        TS.Store(row + 2 * w, v2);
        TS.Store(row + 3 * w, v3);
    }

    /// <summary>
    /// A batch on several workers. Each worker owns a contiguous range of strips and takes them from the
    /// front; a worker that runs out takes strips from the back of another's range. Contiguous ranges matter:
    /// with strips handed out alternately, the two cores work on neighbouring cache lines of the same rows
    /// and the hardware prefetchers make them fight over the lines (no speedup at all, see
    /// bench/results/notes/core-measurements.md). Stealing keeps a worker that starts late (a busy machine) from holding up the batch.
    /// Which worker runs a strip does not change its arithmetic.
    /// </summary>
    sealed class Job : IParallelWork
    {
        [ThreadStatic] static Job? t_cached;
        double* _qt, _coefs;
        int* _plan;
        nint _ld;
        int _strips, _items, _workers;

        /// <summary>Per worker: the next strip (low 32 bits) and the end of its range (high 32 bits).</summary>
        readonly long[] _ranges = new long[Math.Max(1, Environment.ProcessorCount)];

        public static Job Get() => t_cached ??= new Job();

        public void Set(double* qt, nint ld, int strips, double* coefs, int* plan, int items, int workers)
        {
            _qt = qt;
            _ld = ld;
            _strips = strips;
            _coefs = coefs;
            _plan = plan;
            _items = items;
            _workers = Math.Min(workers, _ranges.Length);
            for (int w = 0; w < _workers; w++)
            {
                var (s0, s1) = WorkerPool.Split(strips, 1, w, _workers);
                _ranges[w] = (long)s1 << 32 | (uint)s0;
            }
        }

        public void Clear()
        {
            _qt = _coefs = null;
            _plan = null;
        }

        public void Execute(int worker, int workers)
        {
            if (worker < _workers)
            {
                for (int s = TakeFront(worker); s >= 0; s = TakeFront(worker))
                    ApplyStrips(_qt, _ld, s, s + 1, _coefs, _plan, _items);
            }
            for (int other = 0; other < _workers; other++)
            {
                for (int s = TakeBack(other); s >= 0; s = TakeBack(other))
                    ApplyStrips(_qt, _ld, s, s + 1, _coefs, _plan, _items);
            }
        }

        int TakeFront(int w)
        {
            while (true)
            {
                long state = Volatile.Read(ref _ranges[w]);
                int front = (int)(uint)state, end = (int)(state >> 32);
                if (front >= end)
                    return -1;
                if (Interlocked.CompareExchange(ref _ranges[w], (long)end << 32 | (uint)(front + 1), state) == state)
                    return front;
            }
        }

        int TakeBack(int w)
        {
            while (true)
            {
                long state = Volatile.Read(ref _ranges[w]);
                int front = (int)(uint)state, end = (int)(state >> 32);
                if (front >= end)
                    return -1;
                if (Interlocked.CompareExchange(ref _ranges[w], (long)(end - 1) << 32 | (uint)front, state) == state)
                    return end - 1;
            }
        }
    }
}
