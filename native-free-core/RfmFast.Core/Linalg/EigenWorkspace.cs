using System;
using System.Numerics;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Linalg;

/// <summary>
/// The pooled buffers of one eigen-decomposition, all in double: the working matrix (A, then the
/// reflectors, then Q^T and finally the eigenvectors as rows), T's diagonal and off-diagonal, the
/// reflector scales, the reduction's work vectors, and (with vectors) the rotation batch and the sort
/// permutation.
/// </summary>
unsafe struct EigenWorkspace : IDisposable
{
    PooledBuffer<double> _matrix, _vectors, _rotations;
    PooledBuffer<int> _ints;

    /// <summary>The order.</summary>
    public int N;

    /// <summary>The working matrix's leading dimension: <see cref="Cols"/> + 8, so that no power-of-two row
    /// stride makes the column strips of the rotation kernel collide in the caches.</summary>
    public int Ld;

    /// <summary>n rounded up to a multiple of 32: the columns the rotation strips cover.</summary>
    public int Cols;

    /// <summary>The rotation batch capacity.</summary>
    public int Capacity;

    public double* A, D, E, Tau, Sigma, Work, Cs;
    public int* Perm, Sweeps;

    public static EigenWorkspace Rent(int n, int workers, bool vectors)
    {
        var ws = new EigenWorkspace { N = n };
        ws.Cols = (n + 31) / 32 * 32;
        ws.Ld = ws.Cols + 8;
        ws._matrix = PooledBuffer<double>.Rent(n * ws.Ld);
        ws.A = ws._matrix.Pointer;
        int stride = (n + 7) / 8 * 8;
        int work = HouseholderTridiagonal<SimdScalar<double>, double>.WorkLength(n, workers);
        ws._vectors = PooledBuffer<double>.Rent(4 * stride + work);
        ws.D = ws._vectors.Pointer;
        ws.E = ws.D + stride;
        ws.Tau = ws.E + stride;
        ws.Sigma = ws.Tau + stride;
        ws.Work = ws.Sigma + stride;
        ws.Capacity = EigenRotationSink<SimdScalar<double>, double>.Capacity(n);
        if (vectors)
        {
            ws._rotations = PooledBuffer<double>.Rent(EigenRotationSink<SimdScalar<double>, double>.CoefficientLength(ws.Capacity));
            ws.Cs = ws._rotations.Pointer;
        }
        ws._ints = PooledBuffer<int>.Rent(n + (vectors ? EigenRotationSink<SimdScalar<double>, double>.SweepLength : 0));
        ws.Perm = ws._ints.Pointer;
        ws.Sweeps = vectors ? ws.Perm + n : null;
        return ws;
    }

    /// <summary>Copies the lower triangle of <paramref name="a"/>, scaled by 2^-<paramref name="exponent"/>, into
    /// the upper triangle of the working matrix (transposed, in 32 x 32 tiles).</summary>
    public readonly void Load<T>(ReadOnlyMatrixView<T> a, int exponent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double scale = Math.ScaleB(1.0, -exponent);
        int n = N;
        nint ld = Ld, lda = a.Ld;
        double* w = A;
        fixed (T* pa = a.Data)
        {
            for (int ib = 0; ib < n; ib += 32)
            {
                int iEnd = Math.Min(ib + 32, n);
                for (int jb = 0; jb <= ib; jb += 32)
                {
                    for (int i = ib; i < iEnd; i++)
                    {
                        T* row = pa + i * lda;
                        int jEnd = Math.Min(jb + 32, i + 1);
                        for (int j = jb; j < jEnd; j++)
                            w[j * ld + i] = scale * double.CreateTruncating(row[j]);
                    }
                }
            }
        }
    }

    /// <summary>Reduces to tridiagonal form, forms Q^T, runs the QL iteration applying its rotations to Q^T:
    /// afterwards D holds the (scaled, unsorted) eigenvalues and row i of A the eigenvector of D[i].</summary>
    public readonly void SolveVectors(IsaTier tier, int workers)
    {
        var user = new Step(this, Phase.SolveVectors, tier, workers, null, 0, 0);
        TierDispatch.Run<double, Step>(tier, ref user);
    }

    /// <summary>Reduces to tridiagonal form and runs the QL iteration without vectors: D holds the (scaled,
    /// unsorted) eigenvalues.</summary>
    public readonly void SolveValues(IsaTier tier, int workers)
    {
        Reduce(tier, workers);
        var none = default(NoRotations);
        TridiagonalQL.Solve(D, E, N, ref none);
    }

    /// <summary>Reduces to tridiagonal form only: D, E, Tau and the reflectors in A.</summary>
    public readonly void Reduce(IsaTier tier, int workers)
    {
        var user = new Step(this, Phase.Reduce, tier, workers, null, 0, 0);
        TierDispatch.Run<double, Step>(tier, ref user);
    }

    /// <summary>After <see cref="Reduce(IsaTier, int)"/>: the rows of <paramref name="x"/> (eigenvectors of T)
    /// become eigenvectors of A.</summary>
    public readonly void BackTransform(IsaTier tier, double* x, nint ldx, int count)
    {
        var user = new Step(this, Phase.BackTransform, tier, 1, x, ldx, count);
        TierDispatch.Run<double, Step>(tier, ref user);
    }

    enum Phase { Reduce, SolveVectors, BackTransform }

    /// <summary>One of the tier-dependent phases above on the tier <see cref="TierDispatch"/> chose.</summary>
    readonly struct Step(EigenWorkspace ws, Phase phase, IsaTier tier, int workers, double* x, nint ldx, int count) : ITierUser<double>
    {
        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, double> where TVec : struct
        {
            switch (phase)
            {
                case Phase.Reduce: ws.Reduce<TS, TVec>(workers); break;
                case Phase.SolveVectors: ws.SolveVectors<TS, TVec>(tier, workers); break;
                default: HouseholderTridiagonal<TS, TVec>.BackTransform(ws.A, ws.Ld, ws.N, ws.Tau, x, ldx, count); break;
            }
        }
    }

    readonly void Reduce<TS, TVec>(int workers) where TS : struct, ISimd<TVec, double> where TVec : struct =>
        HouseholderTridiagonal<TS, TVec>.Reduce(A, Ld, N, D, E, Tau, Work, workers);

    readonly void SolveVectors<TS, TVec>(IsaTier tier, int workers) where TS : struct, ISimd<TVec, double> where TVec : struct
    {
        HouseholderTridiagonal<TS, TVec>.Reduce(A, Ld, N, D, E, Tau, Work, workers);
        HouseholderTridiagonal<TS, TVec>.FormQt(tier, workers, A, Ld, N, Cols, Tau);
        var sink = new EigenRotationSink<TS, TVec>(A, Ld, N, Cols, Cs, Sweeps, Sigma, Capacity, workers);
        TridiagonalQL.Solve(D, E, N, ref sink);
        sink.Finish();
    }

    /// <summary>Sorts D ascending; Perm[c] becomes the row of A holding the c-th eigenvector.</summary>
    public readonly void SortAscending()
    {
        for (int i = 0; i < N; i++)
            Perm[i] = i;
        new Span<double>(D, N).Sort(new Span<int>(Perm, N));
    }

    public void Dispose()
    {
        _matrix.Dispose();
        _vectors.Dispose();
        _rotations.Dispose();
        _ints.Dispose();
    }
}
