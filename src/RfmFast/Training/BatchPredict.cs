using System;
using System.Numerics;
using RfmFast.Core;

namespace RfmFast;

/// <summary>Predictions for many rows, in row blocks so that memory stays O(block n): the fit's validation
/// scores and the models' batch predictions share it.</summary>
internal static class BatchPredict
{
    const int Block = 512;

    /// <summary>f(q) for the rows of <paramref name="q"/>, rows x c row-major. A <paramref name="workspace"/> (the
    /// fit's free n x n buffer) allows blocks as large as it holds: fewer, larger kernel calls are faster.</summary>
    public static T[] Run<T>(DenseData<T> centers, T[] alpha, int c, T[] metric, KernelFunction kernel, DenseData<T> q, int workers,
        Span<T> workspace = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = centers.Rows, d = centers.Cols, m = q.Rows;
        var result = new T[m * c];
        int block = Math.Max(Block, n == 0 ? 0 : workspace.Length / n);
        bool useWorkspace = (long)block * n <= workspace.Length;
        using var pooled = PooledBuffer<T>.Rent(useWorkspace ? 0 : Math.Min(Block, m) * n);
        Span<T> kb = useWorkspace ? workspace : pooled.Span;
        var cv = new ReadOnlyMatrixView<T>(centers.Values, n, d);
        var mv = new ReadOnlyMatrixView<T>(metric, d, d);
        var av = new ReadOnlyMatrixView<T>(alpha, n, c);
        for (int r0 = 0; r0 < m; r0 += block)
        {
            int rows = Math.Min(block, m - r0);
            var kv = new MatrixView<T>(kb[..(rows * n)], rows, n);
            KernelMatrix.Compute(workers, kernel, new ReadOnlyMatrixView<T>(q.Values.AsSpan(r0 * d, rows * d), rows, d),
                cv, mv, kv);
            Blas.Gemm(workers, Transpose.No, Transpose.No, T.One, kv, av, T.Zero,
                new MatrixView<T>(result.AsSpan(r0 * c, rows * c), rows, c));
        }
        return result;
    }
}
