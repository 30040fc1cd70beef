using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using RfmFast.Core.Simd;
using RfmFast.Core.Threading;

namespace RfmFast.Core.Linalg;

/// <summary>
/// The base case of B &lt;- B L^-T for a narrow L (w &lt;= <see cref="MaxWidth"/> columns): rows of B are independent, so a chunk
/// of 64 rows is transposed into a w x 64 scratch tile in L1 and solved column by column with vector
/// axpys across the rows, then written back. Chunks are spread over the workers. (Row-by-row
/// substitution would run a dot product of length &lt;= w per element, too short to vectorize well.)
/// </summary>
static unsafe class TrsmRightBase<TS, TVec, T>
    where TS : struct, ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    const int Chunk = 64;

    /// <summary>The widest L this base case takes (the scratch tile is MaxWidth x Chunk on the stack).</summary>
    public const int MaxWidth = 64;

    public static void Run(int workers, T* l, nint ldl, int w, T* b, nint ldb, int m)
    {
        if ((long)m * w * w < 64L * 64 * 64 || m < 2 * Chunk)
            workers = 1;
        if (workers == 1)
        {
            SolveRows(l, ldl, w, b, ldb, 0, m);
            return;
        }
        ParallelJob<RowChunks>.Run(new RowChunks(l, ldl, w, b, ldb, m), workers);
    }

    /// <summary>A contiguous range of chunks of rows of B per worker.</summary>
    readonly struct RowChunks(T* l, nint ldl, int w, T* b, nint ldb, int m) : IWorkerShare
    {
        public void Execute(int worker, int workers)
        {
            var (r0, r1) = WorkerPool.Split(m, Chunk, worker, workers);
            if (r1 > r0)
                SolveRows(l, ldl, w, b, ldb, r0, r1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void SolveRows(T* l, nint ldl, int w, T* b, nint ldb, int r0, int r1)
    {
        T* t = stackalloc T[MaxWidth * Chunk];
        for (int c0 = r0; c0 < r1; c0 += Chunk)
        {
            int rows = Math.Min(Chunk, r1 - c0);
            T* bc = b + c0 * ldb;
            for (int i = 0; i < rows; i++)
                for (int k = 0; k < w; k++)
                    t[k * Chunk + i] = bc[i * ldb + k];
            for (int k = 0; k < w; k++)
            {
                T* tk = t + k * Chunk;
                SpanOps.Scale<TS, TVec, T>(T.One / l[k * ldl + k], tk, rows);
                for (int j = k + 1; j < w; j++)
                    SpanOps.Axpy<TS, TVec, T>(-l[j * ldl + k], tk, t + j * Chunk, rows);
            }
            for (int i = 0; i < rows; i++)
                for (int k = 0; k < w; k++)
                    bc[i * ldb + k] = t[k * Chunk + i];
        }
    }
}
