using System.Numerics;
using RfmFast.Core.Level3;

namespace RfmFast.Core.Linalg;

/// <summary>GEMM and SYRK on raw pointers inside one matrix (the blocks of a factorization overlap as
/// spans, though not as elements, so the public views' overlap checks do not apply here).</summary>
static unsafe class Level3Calls
{
    /// <summary>C (m x n) = alpha op(A) op(B) + beta C.</summary>
    public static void Gemm<T>(IsaTier tier, int workers, bool transA, bool transB, int m, int n, int k,
        T alpha, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new GemmProblem<T>
        {
            A = a, Lda = lda, TransA = transA, B = b, Ldb = ldb, TransB = transB, C = c, Ldc = ldc,
            M = m, N = n, K = k, Alpha = alpha, Beta = beta,
        };
        GemmDispatch.Run(tier, p, default(NoEpilogue<T>), workers);
    }

    /// <summary>Lower triangle of C (n x n) = alpha A A^T + beta C, A n x k.</summary>
    public static void SyrkLower<T>(IsaTier tier, int workers, int n, int k, T alpha, T* a, nint lda, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new GemmProblem<T>
        {
            A = a, Lda = lda, TransA = false, B = a, Ldb = lda, TransB = true, C = c, Ldc = ldc,
            M = n, N = n, K = k, Alpha = alpha, Beta = beta, LowerOnly = true,
        };
        GemmDispatch.Run(tier, p, default(NoEpilogue<T>), workers);
    }
}
