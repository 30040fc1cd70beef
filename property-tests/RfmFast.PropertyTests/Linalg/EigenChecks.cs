using System;
using System.Globalization;
using System.Numerics;
using RfmFast.Core;
using RfmFast.Core.Linalg;
using RfmFast.Core.Simd;
using System.Runtime.Intrinsics;
using RfmFast.PropertyTests.Infrastructure;
using RfmFast.PropertyTests.References;
using Xunit;

namespace RfmFast.PropertyTests.Linalg;

/// <summary>The families of symmetric test matrices.</summary>
public enum EigenKind
{
    /// <summary>Uniform entries in [-1, 1).</summary>
    Uniform,

    /// <summary>Q diag(1, 1, 1, 2, 2, 3, ...) Q^T: eigenvalues of multiplicity up to 3.</summary>
    Repeated,

    /// <summary>B B^T / r, B d x r with r &lt; d: PSD with a null space (RFM's AGOP with few outputs).</summary>
    LowRankPsd,

    /// <summary>B B^T / d + 0.01 I: positive definite.</summary>
    FullPsd,

    /// <summary>A diagonal matrix with random entries (some equal).</summary>
    Diagonal,

    /// <summary>The Wilkinson matrix W+: pairs of nearly equal eigenvalues.</summary>
    Wilkinson,

    /// <summary>Eigenvalues 1 + k 1e-9 (a tight cluster) and a few far ones.</summary>
    Clustered,

    /// <summary>All zeros.</summary>
    Zero,
}

/// <summary>One generated eigenproblem: order, family, scale (a power of ten multiplying the matrix),
/// placements of A and of the eigenvector output, whether A's strict upper triangle holds NaN, and a seed.</summary>
public sealed record EigenCase(int N, EigenKind Kind, double Scale, Placement PlaceA, Placement PlaceV, bool UpperNaN, int Seed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n {N}, {Kind}, scale {Scale:G3}, A at {PlaceA}, V at {PlaceV}, upper NaN {UpperNaN}, seed {Seed}");
}

/// <summary>The checks behind the eigen properties, all measured in double against the matrix as the core
/// sees it (rounded to T).</summary>
public static class EigenChecks
{
    /// <summary>The constant of the normwise bounds c d eps.</summary>
    public const double C = 4;

    /// <summary>The symmetric test matrix of the case, in double (before rounding to T).</summary>
    public static double[,] Build(EigenCase c)
    {
        var rng = new Random(c.Seed);
        int n = c.N;
        double[,] a;
        switch (c.Kind)
        {
            case EigenKind.Repeated:
            {
                var lambda = new double[n];
                for (int i = 0; i < n; i++)
                    lambda[i] = 1 + i / 3 * (rng.Next(2) == 0 ? 1 : -0.5);
                a = NaiveEigen.WithSpectrum(lambda, rng);
                break;
            }
            case EigenKind.LowRankPsd:
                a = NaiveCholesky.RandomSymmetric(n, Math.Max(1, n / 3), 0, rng);
                break;
            case EigenKind.FullPsd:
                a = NaiveCholesky.RandomSymmetric(n, Math.Max(1, n), 0.01, rng);
                break;
            case EigenKind.Diagonal:
                a = new double[n, n];
                for (int i = 0; i < n; i++)
                    a[i, i] = rng.Next(4) == 0 ? 0.5 : rng.NextDouble() * 2 - 1;
                break;
            case EigenKind.Wilkinson:
                a = NaiveEigen.Wilkinson(n);
                break;
            case EigenKind.Clustered:
            {
                var lambda = new double[n];
                for (int i = 0; i < n; i++)
                    lambda[i] = i % 5 == 4 ? -3 + i : 1 + i * 1e-9;
                a = NaiveEigen.WithSpectrum(lambda, rng);
                break;
            }
            case EigenKind.Zero:
                a = new double[n, n];
                break;
            default:
                a = new double[n, n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j <= i; j++)
                        a[i, j] = a[j, i] = rng.NextDouble() * 2 - 1;
                break;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i, j] *= c.Scale;
        return a;
    }

    /// <summary>Loads the lower triangle of <paramref name="a"/> into a placed matrix; the strict upper
    /// triangle gets the transpose, or NaN (which the solver must never read).</summary>
    public static TestMatrix<T> Load<T>(double[,] a, Placement place, bool upperNaN) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.GetLength(0);
        var m = new TestMatrix<T>(n, n, place, T.CreateTruncating(-55.0));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m.At(i, j) = j <= i ? T.CreateTruncating(a[i, j]) : upperNaN ? T.NaN : T.CreateTruncating(a[j, i]);
        return m;
    }

    /// <summary>The full symmetric matrix the solver sees: T's rounding of the lower triangle, mirrored.</summary>
    public static double[,] Seen<T>(TestMatrix<T> m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = m.Rows;
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                r[i, j] = r[j, i] = double.CreateTruncating(m.At(i, j));
        return r;
    }

    /// <summary>Decompose: input untouched, output only inside V, ascending values, the residual and the
    /// orthogonality within c d eps, values against Jacobi, and Values and Top consistent with it.</summary>
    public static void Decompose<T>(EigenCase c, IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.N;
        var a = Load<T>(Build(c), c.PlaceA, c.UpperNaN);
        double[,] seen = Seen(a);
        T[] aBefore = a.Snapshot();
        var v = new TestMatrix<T>(n, n, c.PlaceV, T.CreateTruncating(-77.0));
        T[] vBefore = v.Snapshot();
        var w = new T[n];
        string ctx = $"{c} on {tier}/{workers}, {typeof(T).Name}";

        SymmetricEigen.Decompose(tier, workers, a.ReadOnly(), w, v.View());

        Verify.Unchanged(aBefore, a.Data, _ => false, $"A after Decompose ({ctx})");
        Verify.Unchanged(vBefore, v.Data, idx => v.Contains(idx, out _, out _), $"outside V ({ctx})");
        double[] wd = ToDouble(w);
        double[,] vd = ToDouble(v);
        CheckPairs(seen, wd, vd, ascending: true, NaiveBlas.MachineEpsilon<T>(), ctx);
        CheckAgainstReference(seen, wd, NaiveBlas.MachineEpsilon<T>(), ctx);

        // Values: the same eigenvalues.
        var values = new T[n];
        SymmetricEigen.Values(tier, workers, a.ReadOnly(), values);
        Verify.Unchanged(aBefore, a.Data, _ => false, $"A after Values ({ctx})");
        CloseValues(wd, ToDouble(values), 0, 1, seen, NaiveBlas.MachineEpsilon<T>(), $"Values vs Decompose ({ctx})");

        // Top(k) for a k from the seed: the k largest values, descending, with valid eigenvectors.
        int k = n == 0 ? 0 : 1 + c.Seed % n;
        var top = new T[k];
        var u = new TestMatrix<T>(n, k, Placement.Dense, T.Zero);
        SymmetricEigen.Top(tier, workers, a.ReadOnly(), k, top, u.View());
        double[] topd = ToDouble(top);
        CloseValues(wd, topd, n - 1, -1, seen, NaiveBlas.MachineEpsilon<T>(), $"Top({k}) vs Decompose ({ctx})");
        CheckPairs(seen, topd, ToDouble(u), ascending: false, NaiveBlas.MachineEpsilon<T>(), $"Top({k}) ({ctx})");
    }

    /// <summary>Top(k) for small k (the bisection and inverse-iteration path when k &lt;= d / 16): the k largest
    /// of Decompose's values, descending, with a residual and orthogonality within c d eps; input untouched,
    /// nothing written outside the output.</summary>
    public static void Top<T>(EigenCase c, int k, IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.N;
        var a = Load<T>(Build(c), c.PlaceA, c.UpperNaN);
        double[,] seen = Seen(a);
        T[] aBefore = a.Snapshot();
        string ctx = $"{c}, k {k} (inverse iteration: {SymmetricEigen.UseInverseIteration(n, k)}) on {tier}/{workers}, {typeof(T).Name}";
        var w = new T[n];
        var v = new TestMatrix<T>(n, n, Placement.Dense, T.Zero);
        SymmetricEigen.Decompose(tier, workers, a.ReadOnly(), w, v.View());
        var top = new T[k];
        var u = new TestMatrix<T>(n, k, c.PlaceV, T.CreateTruncating(-44.0));
        T[] uBefore = u.Snapshot();
        SymmetricEigen.Top(tier, workers, a.ReadOnly(), k, top, u.View());
        Verify.Unchanged(aBefore, a.Data, _ => false, $"A after Top ({ctx})");
        Verify.Unchanged(uBefore, u.Data, idx => u.Contains(idx, out _, out _), $"outside the Top output ({ctx})");
        double[] topd = ToDouble(top);
        CloseValues(ToDouble(w), topd, n - 1, -1, seen, NaiveBlas.MachineEpsilon<T>(), $"Top({k}) vs Decompose ({ctx})");
        CheckPairs(seen, topd, ToDouble(u), ascending: false, NaiveBlas.MachineEpsilon<T>(), $"Top({k}) ({ctx})");
    }

    /// <summary>Power for PSD input: p = 1 gives A back, (A^(1/2))^2 gives A back, A^(1/2) matches the
    /// reference to d sqrt(eps) (the square root is not Lipschitz at 0), p = 0 gives I; all exactly symmetric.</summary>
    public static void Power<T>(EigenCase c, IsaTier tier, int workers) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.N;
        var a = Load<T>(Build(c), c.PlaceA, c.UpperNaN);
        double[,] seen = Seen(a);
        T[] aBefore = a.Snapshot();
        double eps = NaiveBlas.MachineEpsilon<T>();
        double norm = NaiveEigen.Frobenius(seen);
        string ctx = $"{c} on {tier}/{workers}, {typeof(T).Name}";

        var p1 = new TestMatrix<T>(n, n, c.PlaceV, T.CreateTruncating(-66.0));
        T[] p1Before = p1.Snapshot();
        SymmetricEigen.Power(tier, workers, a.ReadOnly(), T.One, p1.View());
        Verify.Unchanged(aBefore, a.Data, _ => false, $"A after Power ({ctx})");
        Verify.Unchanged(p1Before, p1.Data, idx => p1.Contains(idx, out _, out _), $"outside the result ({ctx})");
        double[,] r1 = Symmetric(p1, ctx);
        RelativeClose(r1, seen, norm, C * Math.Max(n, 1) * eps, $"Power(1) vs A ({ctx})");

        var half = new TestMatrix<T>(n, n, Placement.Dense, T.Zero);
        SymmetricEigen.Power(tier, workers, a.ReadOnly(), T.CreateTruncating(0.5), half.View());
        double[,] s = Symmetric(half, ctx);
        var ss = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                    sum += s[i, k] * s[k, j];
                ss[i, j] = sum;
            }
        RelativeClose(ss, seen, norm, C * Math.Max(n, 1) * eps, $"Power(0.5)^2 vs A ({ctx})");
        double[,] sref = NaiveEigen.Function(seen, x => Math.Sqrt(Math.Max(x, 0)));
        // An eigenvalue error of delta near 0 moves its square root by sqrt(delta): the solver works in double,
        // so the bound is d sqrt(eps_double) relative to sqrt(||A||), plus T's rounding of the result.
        double sqrtBound = C * Math.Max(n, 1) * (Math.Sqrt(NaiveBlas.MachineEpsilon<double>()) + eps);
        RelativeClose(s, sref, Math.Max(NaiveEigen.Frobenius(sref), Math.Sqrt(norm)), sqrtBound, $"Power(0.5) vs Jacobi ({ctx})");

        var zero = new TestMatrix<T>(n, n, Placement.Dense, T.Zero);
        SymmetricEigen.Power(tier, workers, a.ReadOnly(), T.Zero, zero.View());
        var identity = new double[n, n];
        for (int i = 0; i < n; i++)
            identity[i, i] = 1;
        RelativeClose(Symmetric(zero, ctx), identity, Math.Sqrt(Math.Max(n, 1)), C * Math.Max(n, 1) * eps, $"Power(0) vs I ({ctx})");
    }

    /// <summary>A V = V diag(w) and V^T V = I within c d eps, w sorted the given way, everything finite.</summary>
    public static void CheckPairs(double[,] a, double[] w, double[,] v, bool ascending, double epsT, string ctx)
    {
        int n = a.GetLength(0), k = w.Length;
        double bound = C * Math.Max(n, 1) * epsT;
        for (int i = 1; i < k; i++)
        {
            if (ascending ? !(w[i - 1] <= w[i]) : !(w[i - 1] >= w[i]))
                Assert.Fail($"eigenvalues out of order at {i}: {w[i - 1]:R}, {w[i]:R} ({ctx})");
        }
        double normA = NaiveEigen.Frobenius(a), unit = normA == 0 ? 1 : normA;
        double res = 0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double s = 0;
                for (int p = 0; p < n; p++)
                    s += a[i, p] * v[p, c];
                s = (s - v[i, c] * w[c]) / unit;
                res += s * s;
            }
        }
        res = Math.Sqrt(res);
        if (!(res <= bound))
            Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"||A V - V W||_F / ||A||_F = {res:E3} > {bound:E3} ({ctx})"));
        double orth = 0;
        for (int c1 = 0; c1 < k; c1++)
        {
            for (int c2 = 0; c2 <= c1; c2++)
            {
                double s = 0;
                for (int p = 0; p < n; p++)
                    s += v[p, c1] * v[p, c2];
                orth = Math.Max(orth, Math.Abs(s - (c1 == c2 ? 1 : 0)));
            }
        }
        if (!(orth <= bound))
            Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"||V^T V - I||_max = {orth:E3} > {bound:E3} ({ctx})"));
    }

    /// <summary>Each eigenvalue within c d eps ||A||_F of Jacobi's (ascending).</summary>
    public static void CheckAgainstReference(double[,] a, double[] w, double eps, string ctx) =>
        CheckAgainstReference(a, w, NaiveEigen.Jacobi(a), eps, ctx);

    /// <summary>Each eigenvalue within c d eps ||A||_F of the given ascending reference.</summary>
    public static void CheckAgainstReference(double[,] a, double[] w, double[] reference, double eps, string ctx)
    {
        int n = w.Length;
        double bound = C * Math.Max(n, 1) * eps * NaiveEigen.Frobenius(a) + 1e-300;
        for (int i = 0; i < n; i++)
        {
            if (!(Math.Abs(w[i] - reference[i]) <= bound))
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"eigenvalue {i}: {w[i]:R} vs Jacobi {reference[i]:R}, error {Math.Abs(w[i] - reference[i]):E3} > {bound:E3} ({ctx})"));
        }
    }

    /// <summary>got[c] close to all[first + c step].</summary>
    static void CloseValues(double[] all, double[] got, int first, int step, double[,] a, double eps, string ctx)
    {
        double bound = C * Math.Max(all.Length, 1) * eps * NaiveEigen.Frobenius(a) + 1e-300;
        for (int c = 0; c < got.Length; c++)
        {
            double want = all[first + c * step];
            if (!(Math.Abs(got[c] - want) <= bound))
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"value {c}: {got[c]:R} vs {want:R} > {bound:E3} ({ctx})"));
        }
    }

    static void RelativeClose(double[,] got, double[,] want, double scale, double tol, string ctx)
    {
        int n = got.GetLength(0);
        double unit = scale == 0 ? 1 : scale, err = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                err += Math.Pow((got[i, j] - want[i, j]) / unit, 2);
        err = Math.Sqrt(err);
        if (!(err <= tol))
            Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"||got - want||_F / {scale:E3} = {err:E3} > {tol:E3} ({ctx})"));
    }

    /// <summary>The result in double, asserting it is finite and exactly symmetric.</summary>
    static double[,] Symmetric<T>(TestMatrix<T> m, string ctx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = m.Rows;
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                r[i, j] = double.CreateTruncating(m.At(i, j));
                if (!double.IsFinite(r[i, j]) || !TestMatrix<T>.BitEqual(m.At(i, j), m.At(j, i)))
                    Assert.Fail($"result({i}, {j}) = {r[i, j]:R} is not finite or differs from ({j}, {i}) ({ctx})");
            }
        }
        return r;
    }

    public static double[] ToDouble<T>(T[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            r[i] = double.CreateTruncating(x[i]);
        return r;
    }

    public static double[,] ToDouble<T>(TestMatrix<T> m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = new double[m.Rows, m.Cols];
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Cols; j++)
                r[i, j] = double.CreateTruncating(m.At(i, j));
        return r;
    }

    /// <summary>
    /// The batched rotation kernel against plain Givens rotations in double: random sweeps (random ranges, so
    /// pairs padded to unequal unions and single sweeps), angles with |c| &lt; 1/16 (the full path), c = 0,
    /// s = 0, and runs of c = 0.07 that drive the row scales below the rescaling threshold; more sweeps than
    /// a batch holds and a small capacity, so several batches are flushed.
    /// </summary>
    public static unsafe void Rotations(int n, int sweeps, int seed, IsaTier tier, int workers)
    {
        var rng = new Random(seed);
        int cols = (n + 31) / 32 * 32, ld = cols + 8;
        var qt = new double[n * ld];
        var reference = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                qt[i * ld + j] = reference[i, j] = rng.NextDouble() * 2 - 1;
        }
        int capacity = n + rng.Next(0, 3 * n);
        var cs = new double[EigenRotationSink<SimdScalar<double>, double>.CoefficientLength(capacity)];
        var plan = new int[EigenRotationSink<SimdScalar<double>, double>.SweepLength];
        var sigma = new double[n];
        var list = new (int Top, double[] C, double[] S)[sweeps];
        for (int q = 0; q < sweeps; q++)
        {
            int top = rng.Next(0, n - 1), count = 1 + rng.Next(0, top + 1);
            if (q > 0 && rng.Next(3) > 0)
                (top, count) = (list[q - 1].Top, list[q - 1].C.Length); // the common case: the same range again
            if (seed % 4 == 0)
                (top, count) = (n - 2, n - 1);
            var c = new double[count];
            var s = new double[count];
            // Style 0: every rotation has c = +-0.07, so nothing resets the scales, which only the rescaling
            // after each batch keeps from underflowing (one seed in four uses it for every sweep, over all rows).
            int style = seed % 4 == 0 ? 0 : rng.Next(4);
            for (int k = 0; k < count; k++)
            {
                double theta = rng.NextDouble() * 2 * Math.PI;
                (c[k], s[k]) = (Math.Cos(theta), Math.Sin(theta));
                int pick = rng.Next(20);
                if (style == 0 || pick == 0)
                    (c[k], s[k]) = (0.07 * (rng.Next(2) * 2 - 1), Math.Sqrt(1 - 0.07 * 0.07));
                else if (pick == 1)
                    (c[k], s[k]) = (0, rng.Next(2) * 2 - 1);
                else if (pick == 2)
                    (c[k], s[k]) = (rng.Next(2) * 2 - 1, 0);
                else if (pick == 3)
                    (c[k], s[k]) = (1e-3, Math.Sqrt(1 - 1e-6));
            }
            list[q] = (top, c, s);
        }
        fixed (double* pq = qt, pc = cs, ps = sigma)
        fixed (int* pp = plan)
        {
            switch (tier)
            {
                case IsaTier.V512: Run<Simd512<double>, Vector512<double>>(pq, pc, pp, ps); break;
                case IsaTier.V256: Run<Simd256<double>, Vector256<double>>(pq, pc, pp, ps); break;
                case IsaTier.V128: Run<Simd128<double>, Vector128<double>>(pq, pc, pp, ps); break;
                default: Run<SimdScalar<double>, double>(pq, pc, pp, ps); break;
            }
        }
        int total = 0;
        foreach (var (top, c, s) in list)
        {
            for (int k = 0; k < c.Length; k++, total++)
            {
                int i = top - k;
                for (int j = 0; j < n; j++)
                {
                    double zi = reference[i, j], zi1 = reference[i + 1, j];
                    reference[i + 1, j] = s[k] * zi + c[k] * zi1;
                    reference[i, j] = c[k] * zi - s[k] * zi1;
                }
            }
        }
        double bound = 1e-14 * (10 + Math.Sqrt(total));
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double got = qt[i * ld + j], want = j < n ? reference[i, j] : 0;
                if (!(Math.Abs(got - want) <= bound * (1 + Math.Abs(want))))
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                        $"rotated Q^T({i}, {j}) = {got:R}, plain rotations give {want:R} (n {n}, {sweeps} sweeps, {total} rotations, capacity {capacity}, seed {seed}, {tier}/{workers})"));
            }
        }

        void Run<TS, TVec>(double* pq, double* pc, int* pp, double* ps)
            where TS : struct, ISimd<TVec, double> where TVec : struct
        {
            var sink = new EigenRotationSink<TS, TVec>(pq, ld, n, cols, pc, pp, ps, capacity, workers);
            foreach (var (top, c, s) in list)
            {
                sink.Begin(top, c.Length);
                for (int k = 0; k < c.Length; k++)
                    sink.Rotate(c[k], s[k]);
                sink.End(c.Length);
            }
            sink.Finish();
        }
    }
}
