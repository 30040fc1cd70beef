using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core.Level3;

/// <summary>
/// C = alpha A op(B) + beta C for a narrow C (N &lt;= <see cref="MaxColumns"/>) and a row-major A: dot
/// products of four rows of A at a time with each column of op(B), reading A once from memory, with no packing.
/// </summary>
/// <remarks>
/// Why: the packed loop nest copies all of A into panels and computes tiles two vectors wide, so a
/// kernel matrix times alpha (one column) would stream A twice and do 32 times the flops (measurements in
/// bench/results/notes/core-measurements.md). Here the N columns of op(B) are first copied contiguous (N K elements),
/// then dotted with four rows of A at a time while those sit in L2.
/// </remarks>
static unsafe class GemmSkinny<TS, TVec, T>
    where TS : struct, ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The widest C this path takes.</summary>
    public const int MaxColumns = 16;

    /// <summary>Rows per unit of work handed to a thread.</summary>
    const int RowGranule = 16;

    /// <summary>True when the problem fits this path: narrow, A not transposed, a plain product.</summary>
    public static bool Applies(in GemmProblem<T> p) => p.N <= MaxColumns && !p.TransA && !p.LowerOnly && p.K > 0;

    public static void Run(in GemmProblem<T> p, int workers)
    {
        int n = p.N, k = p.K;
        using var columns = PooledBuffer<T>.Rent(n * k);
        T* bt = columns.Pointer;
        for (int j = 0; j < n; j++)
            for (int q = 0; q < k; q++)
                bt[(nint)j * k + q] = p.TransB ? p.B[j * p.Ldb + q] : p.B[q * p.Ldb + j];
        if ((long)p.M * n * k < 64L * 64 * 64)
            workers = 1;
        workers = Math.Min(workers, Math.Max(1, p.M / RowGranule));
        if (workers <= 1)
        {
            Rows(p, bt, 0, p.M);
            return;
        }
        ParallelJob<RowBlocks>.Run(new RowBlocks(p, bt), workers);
    }

    /// <summary>A contiguous block of rows of C per worker.</summary>
    readonly struct RowBlocks(GemmProblem<T> problem, T* columns) : IWorkerShare
    {
        readonly GemmProblem<T> _problem = problem;
        readonly T* _columns = columns;

        public void Execute(int worker, int workers)
        {
            var (r0, r1) = WorkerPool.Split(_problem.M, RowGranule, worker, workers);
            if (r1 > r0)
                Rows(_problem, _columns, r0, r1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows(in GemmProblem<T> p, T* bt, int r0, int r1)
    {
        int n = p.N, k = p.K;
        int i = r0;
        // Four rows at a time: each load of a column of op(B) serves four rows of A, which stay in L2.
        for (; i + 4 <= r1; i += 4)
        {
            T* ai = p.A + i * p.Lda;
            for (int j = 0; j < n; j++)
            {
                Dot4(ai, p.Lda, bt + (nint)j * k, k, out T s0, out T s1, out T s2, out T s3);
                Store(p, i, j, s0);
                Store(p, i + 1, j, s1);
                Store(p, i + 2, j, s2);
                Store(p, i + 3, j, s3);
            }
        }
        for (; i < r1; i++)
        {
            T* ai = p.A + i * p.Lda;
            for (int j = 0; j < n; j++)
                Store(p, i, j, SpanOps.Dot<TS, TVec, T>(ai, bt + (nint)j * k, k));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(in GemmProblem<T> p, int i, int j, T dot)
    {
        T* c = p.C + i * p.Ldc + j;
        T v = p.Alpha * dot;
        // beta = 0: C is not read (it may hold NaN), as in the packed path.
        *c = p.Beta == T.Zero ? v : v + p.Beta * *c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Dot4(T* a, nint lda, T* b, int k, out T s0, out T s1, out T s2, out T s3)
    {
        int w = TS.Count, q = 0;
        TVec v0 = TS.Zero, v1 = TS.Zero, v2 = TS.Zero, v3 = TS.Zero;
        T* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (; q <= k - w; q += w)
        {
            TVec vb = TS.Load(b + q);
            v0 = TS.MulAdd(TS.Load(a + q), vb, v0);
            v1 = TS.MulAdd(TS.Load(a1 + q), vb, v1);
            v2 = TS.MulAdd(TS.Load(a2 + q), vb, v2);
            v3 = TS.MulAdd(TS.Load(a3 + q), vb, v3);
        }
        s0 = TS.Sum(v0);
        s1 = TS.Sum(v1);
        s2 = TS.Sum(v2);
        s3 = TS.Sum(v3);
        for (; q < k; q++)
        {
            s0 += a[q] * b[q];
            s1 += a1[q] * b[q];
            s2 += a2[q] * b[q];
            s3 += a3[q] * b[q];
        }
    }
}
