using System;

namespace RfmFast.Core.Linalg;

/// <summary>
/// The refinement of mixed precision: solves A X = B in double by preconditioned conjugate gradients, A read
/// from the strict upper triangle of a float matrix and a double diagonal, the preconditioner the float
/// Cholesky factor in the lower triangle (of A itself, or of A + shift I when float could not factor A).
/// </summary>
/// <remarks>
/// Why conjugate gradients and not classical refinement (x += L^-T L^-1 (b - A x), what LAPACK's dsposv
/// does): classical refinement contracts only while the float factor is closer to A than A's smallest
/// eigenvalue, so it stalls on the systems float struggles with; CG converges for any positive definite
/// preconditioner, in about sqrt(cond(P^-1 A)) steps, and on a good factor it takes the same two or three
/// steps at the same cost (one pass over A, two triangular solves). A kernel system that float cannot factor
/// (many duplicate rows and a small reg put cond(A) near 1 / eps_float) thus costs a float factorization of
/// A + shift I and a few dozen steps instead of a double factorization: twice the flops and three times the
/// memory. The preconditioner runs in float, so it is not exactly the same linear map twice: the
/// Polak-Ribiere beta (flexible CG) keeps the iteration convergent under that. The recurrence residual
/// drifts from the true one, so convergence is confirmed on a residual recomputed from A, and a column
/// that fails that check restarts from its current x.
/// </remarks>
static unsafe class ConjugateGradientRefinement
{
    /// <summary>What the iteration reached.</summary>
    /// <param name="Converged">Every column reached the target backward error on a recomputed residual.</param>
    /// <param name="Steps">CG steps taken (each one pass over A and one preconditioner solve).</param>
    /// <param name="BackwardError">The worst column's backward error at the end.</param>
    public readonly record struct Outcome(bool Converged, int Steps, double BackwardError);

    /// <summary>Steps without the best residual of some column halving before the iteration counts as stalled.</summary>
    const int StallWindow = 25;

    /// <summary>
    /// X = A^-1 B. <paramref name="factor"/>'s lower triangle holds the float Cholesky factor used as the
    /// preconditioner; its strict upper triangle and <paramref name="diagonal"/> hold A, and are not written.
    /// </summary>
    /// <param name="tier">The ISA tier of the passes over A and the triangular solves.</param>
    /// <param name="workers">Workers for those.</param>
    /// <param name="factor">Lower triangle: the float factor; strict upper triangle: A.</param>
    /// <param name="diagonal">A's diagonal.</param>
    /// <param name="b">B, n x c.</param>
    /// <param name="x">X, n x c: written only when the iteration converged.</param>
    /// <param name="target">The backward error to reach, max |r| / (aNorm max |x| + max |b|) per column.</param>
    /// <param name="aNorm">A bound on ||A||_inf used in the backward error.</param>
    /// <param name="maxSteps">The step budget.</param>
    public static Outcome Solve(IsaTier tier, int workers, MatrixView<float> factor, ReadOnlySpan<double> diagonal,
        ReadOnlyMatrixView<float> b, MatrixView<double> x, double target, double aNorm, int maxSteps)
    {
        int n = factor.Rows, c = b.Cols;
        // Column-major work vectors (c x n, one contiguous row per right-hand side), as SymmetricResidual takes them.
        using var vectors = PooledBuffer<double>.Rent(8 * c * n + 7 * c);
        using var floatWork = PooledBuffer<float>.Rent(n * c);
        fixed (float* pa = factor.Data)
        fixed (double* pd = diagonal)
        {
            var it = new Iteration(tier, workers, pa, factor.Ld, pd, n, c, vectors.Pointer, floatWork.Pointer, target, aNorm);
            for (int q = 0; q < c; q++)
                for (int i = 0; i < n; i++)
                    it.B[q * n + i] = b[i, q];
            Outcome outcome = it.Run(maxSteps);
            if (outcome.Converged)
                for (int i = 0; i < n; i++)
                    for (int q = 0; q < c; q++)
                        x[i, q] = it.X[q * n + i];
            return outcome;
        }
    }

    /// <summary>The vectors and scalars of one solve, over pooled memory.</summary>
    readonly struct Iteration
    {
        readonly IsaTier _tier;
        readonly int _workers, _n, _c;
        readonly float* _a, _fb;
        readonly nint _lda;
        readonly double* _diag;
        readonly double _target, _aNorm;
        // c x n each: solution, right-hand side, residual, previous residual, preconditioned residual, search
        // direction, -A p, zeros; then per column: r.z, max |b|, best error, steps since best, error, active, scale.
        public readonly double* X, B;
        readonly double* _r, _rPrev, _z, _p, _ap, _zero, _rz, _bNorm, _best, _sinceBest, _error, _active, _scale;

        public Iteration(IsaTier tier, int workers, float* a, nint lda, double* diag, int n, int c, double* vectors, float* fb,
            double target, double aNorm)
        {
            _tier = tier; _workers = workers; _a = a; _lda = lda; _diag = diag; _n = n; _c = c; _fb = fb;
            _target = target; _aNorm = aNorm;
            nint v = (nint)c * n;
            X = vectors; B = vectors + v; _r = vectors + 2 * v; _rPrev = vectors + 3 * v; _z = vectors + 4 * v;
            _p = vectors + 5 * v; _ap = vectors + 6 * v; _zero = vectors + 7 * v;
            double* s = vectors + 8 * v;
            _rz = s; _bNorm = s + c; _best = s + 2 * c; _sinceBest = s + 3 * c; _error = s + 4 * c; _active = s + 5 * c; _scale = s + 6 * c;
        }

        public Outcome Run(int maxSteps)
        {
            int n = _n, c = _c;
            for (int q = 0; q < c; q++)
            {
                double norm = 0;
                for (int i = 0; i < n; i++)
                    norm = Math.Max(norm, Math.Abs(B[q * n + i]));
                _bNorm[q] = norm;
            }
            // x0 = 0, r0 = b.
            new Span<double>(X, c * n).Clear();
            new Span<double>(_zero, c * n).Clear();
            new Span<double>(B, c * n).CopyTo(new Span<double>(_r, c * n));
            new Span<double>(_active, c).Fill(1);
            RestartActive();

            int steps = 0, verifications = 0;
            while (true)
            {
                if (!AnyActive())
                {
                    // Confirm on the residual recomputed from A; columns that miss restart from where they are.
                    SymmetricResidual.Compute(_tier, _workers, _a, _lda, _diag, n, X, B, _r, c);
                    double worst = 0;
                    for (int q = 0; q < c; q++)
                    {
                        _error[q] = BackwardError(q);
                        worst = Math.Max(worst, _error[q]);
                        if (!(_error[q] <= _target))
                            _active[q] = 1;
                    }
                    if (worst <= _target)
                        return new Outcome(true, steps, worst);
                    if (double.IsNaN(worst) || ++verifications > 3)
                        return new Outcome(false, steps, worst);
                    RestartActive();
                    continue;
                }
                if (steps == maxSteps || Stalled())
                    return new Outcome(false, steps, WorstActive());
                steps++;
                Step();
            }
        }

        /// <summary>One CG step on every active column: x += alpha p, r -= alpha A p, z = P^-1 r, p = z + beta p.</summary>
        void Step()
        {
            int n = _n, c = _c;
            // -A p, as the residual of p against a zero right-hand side.
            SymmetricResidual.Compute(_tier, _workers, _a, _lda, _diag, n, _p, _zero, _ap, c);
            for (int q = 0; q < c; q++)
            {
                if (_active[q] == 0)
                    continue;
                double* p = _p + q * n, ap = _ap + q * n, r = _r + q * n, x = X + q * n;
                double pAp = 0;
                for (int i = 0; i < n; i++)
                    pAp -= p[i] * ap[i];
                double alpha = _rz[q] / pAp;
                if (!(pAp > 0) || !double.IsFinite(alpha))
                {
                    // Not positive definite in double, or a breakdown: this column cannot progress.
                    _error[q] = double.NaN;
                    _sinceBest[q] = StallWindow;
                    continue;
                }
                new Span<double>(r, n).CopyTo(new Span<double>(_rPrev + q * n, n));
                for (int i = 0; i < n; i++)
                {
                    x[i] += alpha * p[i];
                    r[i] += alpha * ap[i];
                }
                _error[q] = BackwardError(q);
                if (_error[q] <= _target)
                {
                    _active[q] = 0;
                }
                else if (_error[q] < 0.5 * _best[q])
                {
                    _best[q] = _error[q];
                    _sinceBest[q] = 0;
                }
                else
                {
                    _sinceBest[q]++;
                }
            }
            if (!AnyActive())
                return;
            Precondition();
            for (int q = 0; q < c; q++)
            {
                if (_active[q] == 0 || _sinceBest[q] >= StallWindow)
                    continue;
                double* z = _z + q * n, r = _r + q * n, rp = _rPrev + q * n, p = _p + q * n;
                double zr = 0, zdr = 0;
                for (int i = 0; i < n; i++)
                {
                    zr += z[i] * r[i];
                    zdr += z[i] * (r[i] - rp[i]);
                }
                // Polak-Ribiere: beta = z_k . (r_k - r_k-1) / (z_k-1 . r_k-1), clamped at 0 (a restart).
                double beta = Math.Max(0, zdr / _rz[q]);
                if (!double.IsFinite(beta))
                    beta = 0;
                _rz[q] = zr;
                for (int i = 0; i < n; i++)
                    p[i] = z[i] + beta * p[i];
            }
        }

        /// <summary>Starts the active columns afresh from their current residuals: z = P^-1 r, p = z.</summary>
        void RestartActive()
        {
            int n = _n;
            Precondition();
            for (int q = 0; q < _c; q++)
            {
                if (_active[q] == 0)
                    continue;
                _best[q] = double.PositiveInfinity;
                _sinceBest[q] = 0;
                _error[q] = BackwardError(q);
                if (_error[q] <= _target)
                {
                    _active[q] = 0; // a zero right-hand side, or already there
                    continue;
                }
                double* z = _z + q * n, r = _r + q * n;
                new Span<double>(z, n).CopyTo(new Span<double>(_p + q * n, n));
                double zr = 0;
                for (int i = 0; i < n; i++)
                    zr += z[i] * r[i];
                _rz[q] = zr;
            }
        }

        /// <summary>z = L^-T L^-1 r for every column in float, one triangular solve with c right-hand sides. Each
        /// column is scaled to max |r| = 1 first: the residual shrinks toward 1e-16 of b and must not fall into
        /// float's subnormals.</summary>
        void Precondition()
        {
            int n = _n, c = _c;
            for (int q = 0; q < c; q++)
            {
                double* r = _r + q * n;
                double s = 0;
                for (int i = 0; i < n; i++)
                    s = Math.Max(s, Math.Abs(r[i]));
                s = s > 0 && double.IsFinite(s) ? s : 1;
                _scale[q] = s;
                double inv = 1 / s;
                for (int i = 0; i < n; i++)
                    _fb[i * c + q] = (float)(r[i] * inv);
            }
            var fb = new MatrixView<float>(new Span<float>(_fb, n * c), n, c);
            var l = new ReadOnlyMatrixView<float>(new ReadOnlySpan<float>(_a, checked((int)((n - 1) * _lda + n))), n, n, (int)_lda);
            Cholesky.Solve(_tier, _workers, l, fb);
            for (int q = 0; q < c; q++)
            {
                double* z = _z + q * n;
                double s = _scale[q];
                for (int i = 0; i < n; i++)
                    z[i] = _fb[i * c + q] * s;
            }
        }

        double BackwardError(int q)
        {
            double rNorm = 0, xNorm = 0;
            double* r = _r + q * _n, x = X + q * _n;
            for (int i = 0; i < _n; i++)
            {
                rNorm = Math.Max(rNorm, Math.Abs(r[i]));
                xNorm = Math.Max(xNorm, Math.Abs(x[i]));
            }
            double scale = _aNorm * xNorm + _bNorm[q];
            return scale == 0 ? 0 : rNorm / scale;
        }

        bool AnyActive()
        {
            for (int q = 0; q < _c; q++)
                if (_active[q] != 0)
                    return true;
            return false;
        }

        bool Stalled()
        {
            for (int q = 0; q < _c; q++)
                if (_active[q] != 0 && !(_sinceBest[q] < StallWindow))
                    return true;
            return false;
        }

        double WorstActive()
        {
            double worst = 0;
            for (int q = 0; q < _c; q++)
                if (_active[q] != 0)
                    worst = double.IsNaN(_error[q]) ? double.NaN : Math.Max(worst, _error[q]);
            return worst;
        }
    }
}
