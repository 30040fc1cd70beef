using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core.Level3;

/// <summary>The operands of one GEMM or SYRK call, as raw pointers (the caller keeps them pinned).</summary>
unsafe struct GemmProblem<T> where T : unmanaged
{
    public T* A;
    public nint Lda;
    public bool TransA;
    public T* B;
    public nint Ldb;
    public bool TransB;
    public T* C;
    public nint Ldc;
    public int M, N, K;
    public T Alpha, Beta;

    /// <summary>SYRK mode: only C(i, j) with j &lt;= i is computed or written.</summary>
    public bool LowerOnly;
}

/// <summary>
/// The BLIS loop nest around <see cref="MicroKernel"/>: JC (NC columns of C, B block in L3), PC (KC of the
/// reduction, B packed), IC (MC rows, A block packed for L2), then JR / IR over micro-tiles.
/// </summary>
/// <remarks>
/// Parallelism: C is cut into one slab per worker, along its longer side (columns when N &gt;= M), and
/// each worker runs the whole loop nest on its slab with its own packing buffers. On two to a few
/// cores this needs no barrier and each core keeps its own L2 warm; the price is that each worker packs
/// the shared operand's block too, which is O(1/n) of the work. SYRK splits rows so that each worker
/// gets an equal share of the lower triangle.
/// </remarks>
static unsafe class GemmDriver<TS, TVec, T, TEpi>
    where TS : struct, ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
    where TEpi : struct, IGemmEpilogue<T>
{
    const int MR = MicroKernel.MR;
    static int NR => 2 * TS.Count;

    // KC x NR of B stays in L1; a KC of 384 rather than 256 updates the C tile less often (see
    // bench/results/notes/core-measurements.md); MC x KC of A in L2; KC x NC of B in L3.
    static int KC => 384;
    static int MC => 96;
    static int NC => typeof(T) == typeof(float) ? 3072 : 2048;

    // Below this many multiply-adds a job is not worth waking a second thread for.
    const long ParallelThreshold = 64L * 64 * 64;

    public static void Run(in GemmProblem<T> p, in TEpi epilogue, int workers)
    {
        if (p.M == 0 || p.N == 0)
            return;
        if (TEpi.IsIdentity && GemmSkinny<TS, TVec, T>.Applies(p))
        {
            GemmSkinny<TS, TVec, T>.Run(p, workers);
            return;
        }
        if ((long)p.M * p.N * Math.Max(p.K, 1) < ParallelThreshold)
            workers = 1;
        workers = Math.Min(workers, Math.Max(1, (p.LowerOnly || p.M > p.N ? p.M / MR : p.N / NR)));
        if (workers <= 1)
        {
            RunSlab(p, epilogue, 0, p.M, 0, p.N);
            return;
        }
        ParallelJob<Slabs>.Run(new Slabs(p, epilogue), workers);
    }

    /// <summary>One slab of C per worker.</summary>
    readonly struct Slabs(GemmProblem<T> problem, TEpi epilogue) : IWorkerShare
    {
        readonly GemmProblem<T> _problem = problem;
        readonly TEpi _epilogue = epilogue;

        public void Execute(int worker, int workers)
        {
            ref readonly GemmProblem<T> p = ref _problem;
            if (p.LowerOnly)
            {
                // Equal areas of the lower triangle: row boundaries at M * sqrt(w / workers).
                int r0 = TriangleBoundary(p.M, worker, workers);
                int r1 = TriangleBoundary(p.M, worker + 1, workers);
                if (r1 > r0)
                    RunSlab(p, _epilogue, r0, r1, 0, r1);
            }
            else if (p.M > p.N)
            {
                var (r0, r1) = WorkerPool.Split(p.M, MR, worker, workers);
                if (r1 > r0)
                    RunSlab(p, _epilogue, r0, r1, 0, p.N);
            }
            else
            {
                var (c0, c1) = WorkerPool.Split(p.N, NR, worker, workers);
                if (c1 > c0)
                    RunSlab(p, _epilogue, 0, p.M, c0, c1);
            }
        }
    }

    static int TriangleBoundary(int m, int w, int workers)
    {
        if (w >= workers)
            return m;
        int r = (int)(m * Math.Sqrt((double)w / workers));
        r = r / MR * MR;
        return Math.Min(r, m);
    }

    /// <summary>Computes the block rows [r0, r1) x columns [c0, c1) of C on the calling thread.</summary>
    static void RunSlab(in GemmProblem<T> p, in TEpi epi, int r0, int r1, int c0, int c1)
    {
        if (p.K == 0)
        {
            ScaleOnly(p, epi, r0, r1, c0, c1);
            return;
        }
        int nr = NR, kcMax = Math.Min(KC, p.K), mcMax = Math.Min(MC, RoundUp(r1 - r0, MR)), ncMax = Math.Min(NC, RoundUp(c1 - c0, nr));
        using var packA = PooledBuffer<T>.Rent(RoundUp(mcMax, MR) * kcMax);
        using var packB = PooledBuffer<T>.Rent(RoundUp(ncMax, nr) * kcMax);
        T* pa = packA.Pointer, pb = packB.Pointer;

        for (int jc = c0; jc < c1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, c1 - jc);
            // SYRK: rows above the first column of this block contribute nothing.
            int rowStart = p.LowerOnly ? Math.Max(r0, jc / MR * MR) : r0;
            if (rowStart >= r1)
                continue;
            for (int pc = 0; pc < p.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, p.K - pc);
                bool last = pc + kc == p.K;
                T beta = pc == 0 ? p.Beta : T.One;
                Packing<TS, TVec, T>.PackB(p.B, p.Ldb, p.TransB, pc, jc, kc, nc, nr, pb);
                for (int ic = rowStart; ic < r1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, r1 - ic);
                    Packing<TS, TVec, T>.PackA(p.A, p.Lda, p.TransA, ic, pc, mc, kc, MR, pa);
                    MacroKernel(p, epi, ic, jc, mc, nc, kc, pa, pb, beta, last);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void MacroKernel(in GemmProblem<T> p, in TEpi epi, int ic, int jc, int mc, int nc, int kc,
        T* pa, T* pb, T beta, bool last)
    {
        int nr = NR;
        T* tile = stackalloc T[MR * 32];
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            int gj = jc + jr;
            T* bPanel = pb + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += MR)
            {
                int rows = Math.Min(MR, mc - ir);
                int gi = ic + ir;
                if (p.LowerOnly && gj > gi + rows - 1)
                    continue; // the whole tile is above the diagonal
                T* aPanel = pa + (nint)ir * kc;
                T* c = p.C + gi * p.Ldc + gj;
                bool crossesDiagonal = p.LowerOnly && gj + cols - 1 > gi;
                if (rows == MR && cols == nr && !crossesDiagonal)
                {
                    MicroKernel.Run<TS, TVec, T>(kc, aPanel, bPanel, c, p.Ldc, p.Alpha, beta);
                }
                else
                {
                    MicroKernel.Run<TS, TVec, T>(kc, aPanel, bPanel, tile, nr, T.One, T.Zero);
                    MergeEdge(tile, nr, c, p.Ldc, rows, cols, p.Alpha, beta, p.LowerOnly ? gi - gj : int.MaxValue);
                }
                if (last && !TEpi.IsIdentity)
                    epi.Apply(c, p.Ldc, gi, gj, rows, cols);
            }
        }
    }

    /// <summary>c = alpha * tile + beta * c on the valid part; with SYRK only where column - row &lt;= diag
    /// (diag = gi - gj, so the global column is at most the global row).</summary>
    static void MergeEdge(T* tile, nint ldt, T* c, nint ldc, int rows, int cols, T alpha, T beta, int diag)
    {
        for (int r = 0; r < rows; r++)
        {
            int jEnd = (int)Math.Min((long)cols, (long)diag + r + 1);
            for (int j = 0; j < jEnd; j++)
            {
                T v = alpha * tile[r * ldt + j];
                c[r * ldc + j] = beta == T.Zero ? v : v + beta * c[r * ldc + j];
            }
        }
    }

    /// <summary>K = 0: C = beta C (and the epilogue), with beta = 0 writing zeros without reading C.</summary>
    static void ScaleOnly(in GemmProblem<T> p, in TEpi epi, int r0, int r1, int c0, int c1)
    {
        for (int i = r0; i < r1; i++)
        {
            int jEnd = p.LowerOnly ? Math.Min(c1, i + 1) : c1;
            T* row = p.C + i * p.Ldc;
            for (int j = c0; j < jEnd; j++)
                row[j] = p.Beta == T.Zero ? T.Zero : p.Beta * row[j];
            if (!TEpi.IsIdentity && jEnd > c0)
                epi.Apply(row + c0, p.Ldc, i, c0, 1, jEnd - c0);
        }
    }

    static int RoundUp(int x, int m) => (x + m - 1) / m * m;
}
