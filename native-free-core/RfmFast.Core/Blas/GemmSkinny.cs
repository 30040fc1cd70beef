using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core.Level3;

/// <summary>
/// C = alpha A op(B) + beta C for a narrow C (N &lt;= <see cref="MaxColumns"/>) and a row-major A: one dot
/// product per element, reading each row of A once from memory, with no packing.
/// </summary>
/// <remarks>
/// Why: the packed loop nest copies all of A into panels and computes full tiles of 2 vectors' width, so a
/// matrix-vector product (kernel matrix times alpha, the AGOP's W alpha) streamed A twice and did 32 times
/// the flops; it took about 50 ms for a 10000 x 10000 A, most of the cost of a validation prediction beyond
/// the kernel matrix. Here the N columns of op(B) are first copied contiguous (N K elements), then each row
/// of A is dotted with them while it sits in L1/L2.
/// </remarks>
static unsafe class GemmSkinny<TS, TVec, T>
    where TS : struct, ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The widest C this path takes.</summary>
    public const int MaxColumns = 4;

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
        var job = Job.Get();
        job.Problem = p;
        job.Columns = bt;
        try
        {
            WorkerPool.Run(job, workers);
        }
        finally
        {
            job.Problem = default;
            job.Columns = null;
        }
    }

    sealed class Job : IParallelWork
    {
        [ThreadStatic] static Job? t_cached;
        public GemmProblem<T> Problem;
        public T* Columns;

        public static Job Get() => t_cached ??= new Job();

        public void Execute(int worker, int workers)
        {
            var (r0, r1) = WorkerPool.Split(Problem.M, RowGranule, worker, workers);
            if (r1 > r0)
                Rows(Problem, Columns, r0, r1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows(in GemmProblem<T> p, T* bt, int r0, int r1)
    {
        int n = p.N, k = p.K;
        for (int i = r0; i < r1; i++)
        {
            T* ai = p.A + i * p.Lda;
            T* ci = p.C + i * p.Ldc;
            for (int j = 0; j < n; j++)
            {
                T v = p.Alpha * SpanOps.Dot<TS, TVec, T>(ai, bt + (nint)j * k, k);
                // beta = 0: C is not read (it may hold NaN), as in the packed path.
                ci[j] = p.Beta == T.Zero ? v : v + p.Beta * ci[j];
            }
        }
    }
}
