using System;
using System.Runtime.CompilerServices;
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
/// over the workers with no synchronization inside a batch.</para>
/// <para>Within a sweep the rotations run down the rows (top, top-1, ...), and consecutive rotations share
/// a row: that row is carried in registers, so each rotation costs one load and one store per vector, and
/// its dependency chain is a single multiply-add.</para>
/// <para>The QL iteration never reads Q, so the whole iteration could be recorded first; batches only
/// bound the memory (<see cref="Capacity"/> rotations).</para>
/// </remarks>
unsafe struct EigenRotationSink<TS, TVec> : ITridiagonalRotationSink
    where TS : struct, ISimd<TVec, double>
    where TVec : struct
{
    readonly double* _cs;
    readonly int* _sweeps;
    readonly double* _qt;
    readonly nint _ld;
    readonly int _cols, _capacity, _workers;
    int _rotations, _sweepCount, _top;

    /// <summary>The rotations a batch holds for order <paramref name="n"/>: at least a few sweeps, and about
    /// 256 KB of coefficients.</summary>
    public static int Capacity(int n) => Math.Max(4 * n, 16384);

    /// <param name="qt">Q^T, n rows of <paramref name="cols"/> columns (a multiple of 32) with leading dimension
    /// <paramref name="ld"/>; the columns past n must hold finite numbers (zeros).</param>
    /// <param name="ld">The leading dimension of Q^T.</param>
    /// <param name="cols">The columns swept: n rounded up to a multiple of 32.</param>
    /// <param name="cs">2 x <paramref name="capacity"/> doubles for the coefficients.</param>
    /// <param name="sweeps">2 x <paramref name="capacity"/> ints for the sweep descriptors.</param>
    /// <param name="capacity">From <see cref="Capacity"/>.</param>
    /// <param name="workers">Workers for the batches.</param>
    public EigenRotationSink(double* qt, nint ld, int cols, double* cs, int* sweeps, int capacity, int workers)
    {
        _qt = qt;
        _ld = ld;
        _cols = cols;
        _cs = cs;
        _sweeps = sweeps;
        _capacity = capacity;
        _workers = workers;
    }

    public void Begin(int top, int maxCount)
    {
        if (_rotations + maxCount > _capacity || _sweepCount == _capacity)
            Flush();
        _top = top;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Rotate(double c, double s)
    {
        double* p = _cs + 2 * (nint)_rotations++;
        p[0] = c;
        p[1] = s;
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
        int strips = _cols / (4 * TS.Count);
        long work = (long)_rotations * _cols;
        int workers = work < 1L << 18 ? 1 : Math.Min(_workers, strips);
        if (workers <= 1)
            ApplyStrips(_qt, _ld, 0, strips, _cs, _sweeps, _sweepCount);
        else
        {
            var job = Job.Get();
            job.Set(_qt, _ld, strips, _cs, _sweeps, _sweepCount);
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
    }

    /// <summary>Strips s0..s1-1 (each 4 vectors wide), every sweep in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ApplyStrips(double* qt, nint ld, int s0, int s1, double* cs, int* sweeps, int sweepCount)
    {
        int w = TS.Count;
        for (int strip = s0; strip < s1; strip++)
        {
            double* col = qt + strip * 4 * w;
            double* coef = cs;
            for (int q = 0; q < sweepCount; q++)
            {
                int top = sweeps[2 * q], count = sweeps[2 * q + 1];
                // The carried row: i + 1 of the current rotation, starting with top + 1.
                double* row = col + (top + 1) * ld;
                TVec x0 = TS.Load(row), x1 = TS.Load(row + w), x2 = TS.Load(row + 2 * w), x3 = TS.Load(row + 3 * w);
                row -= ld;
                for (int r = 0; r < count; r++, row -= ld, coef += 2)
                {
                    TVec c = TS.Splat(coef[0]), s = TS.Splat(coef[1]), ns = TS.Splat(-coef[1]);
                    TVec y0 = TS.Load(row), y1 = TS.Load(row + w), y2 = TS.Load(row + 2 * w), y3 = TS.Load(row + 3 * w);
                    // Row i + 1 is final after this rotation; row i is carried into the next.
                    TS.Store(row + ld, TS.MulAdd(s, y0, TS.Mul(c, x0)));
                    TS.Store(row + ld + w, TS.MulAdd(s, y1, TS.Mul(c, x1)));
                    TS.Store(row + ld + 2 * w, TS.MulAdd(s, y2, TS.Mul(c, x2)));
                    TS.Store(row + ld + 3 * w, TS.MulAdd(s, y3, TS.Mul(c, x3)));
                    x0 = TS.MulAdd(ns, x0, TS.Mul(c, y0));
                    x1 = TS.MulAdd(ns, x1, TS.Mul(c, y1));
                    x2 = TS.MulAdd(ns, x2, TS.Mul(c, y2));
                    x3 = TS.MulAdd(ns, x3, TS.Mul(c, y3));
                }
                row += ld;
                TS.Store(row, x0);
                TS.Store(row + w, x1);
                TS.Store(row + 2 * w, x2);
                TS.Store(row + 3 * w, x3);
            }
        }
    }

    sealed class Job : IParallelWork
    {
        [ThreadStatic] static Job? t_cached;
        double* _qt, _cs;
        int* _sweeps;
        nint _ld;
        int _strips, _sweepCount;

        public static Job Get() => t_cached ??= new Job();

        public void Set(double* qt, nint ld, int strips, double* cs, int* sweeps, int sweepCount)
        {
            _qt = qt;
            _ld = ld;
            _strips = strips;
            _cs = cs;
            _sweeps = sweeps;
            _sweepCount = sweepCount;
        }

        public void Clear()
        {
            _qt = _cs = null;
            _sweeps = null;
        }

        public void Execute(int worker, int workers)
        {
            var (s0, s1) = WorkerPool.Split(_strips, 1, worker, workers);
            if (s1 > s0)
                ApplyStrips(_qt, _ld, s0, s1, _cs, _sweeps, _sweepCount);
        }
    }
}
