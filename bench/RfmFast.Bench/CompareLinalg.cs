using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using RfmFast.Core;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

/// <summary>
/// The linear-algebra suites of compare.sh on the RfmFast side: potrf (Cholesky.Factor in place), solve
/// (Cholesky.Solve with a precomputed factor) and eigh (SymmetricEigen.Decompose), with their checks.
/// The peer (numpy_peer.py) builds the same matrices from its own generator, the same way.
/// </summary>
static partial class CompareRunner
{
    /// <summary>What the restore-based suites add to the timing line (the peer prints the same).</summary>
    const string RestoreTiming = "every call preceded by an untimed restore of its overwritten input from a saved copy; "
        + "a repetition's time is the sum of its calls' own times";

    static List<(string, Action<int, double>)> PotrfCases(int[] sizes)
    {
        var cases = new List<(string, Action<int, double>)>();
        foreach (int n in sizes)
        {
            cases.Add((CompareShapes.PotrfCase<float>(n), (reps, minTime) => TimePotrf<float>(n, reps, minTime)));
            cases.Add((CompareShapes.PotrfCase<double>(n), (reps, minTime) => TimePotrf<double>(n, reps, minTime)));
        }
        return cases;
    }

    /// <summary>Cholesky.Factor in place on the SPD matrix; each call first gets the matrix back from a
    /// saved copy, outside the timed region (numpy_peer.py does the same before ?potrf).</summary>
    static void TimePotrf<T>(int n, int reps, double minTime) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Info("timing-restore", RestoreTiming);
        using var original = SpdMatrix<T>(n, seed: 6);
        using var a = new AlignedMatrix<T>(n, n);
        // The same path as the public Cholesky.Factor overloads (Isa.Best, all workers).
        Report(CompareShapes.PotrfCase<T>(n), FlopFormulas.Potrf(n), Measure(
            () => Cholesky.Factor(Isa.Best, WorkerPool.DefaultWorkers, a.View),
            reps, minTime, restore: () => original.Span.CopyTo(a.Span)));
    }

    static List<(string, Action<int, double>)> SolveCases(int[] sizes)
    {
        var cases = new List<(string, Action<int, double>)>();
        foreach (int n in sizes)
        {
            foreach (int c in CompareShapes.SolveRhs)
            {
                cases.Add((CompareShapes.SolveCase<float>(n, c), (reps, minTime) => TimeSolve<float>(n, c, reps, minTime)));
                cases.Add((CompareShapes.SolveCase<double>(n, c), (reps, minTime) => TimeSolve<double>(n, c, reps, minTime)));
            }
        }
        return cases;
    }

    /// <summary>Cholesky.Solve (forward and back substitution, B n x c overwritten) with the factor of the SPD
    /// matrix computed once; B is restored from a saved copy before each call, outside the timed region.</summary>
    static void TimeSolve<T>(int n, int c, int reps, double minTime) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Info("timing-restore", RestoreTiming);
        using var l = SpdMatrix<T>(n, seed: 6);
        Cholesky.Factor(Isa.Best, WorkerPool.DefaultWorkers, l.View);
        using var b0 = new AlignedMatrix<T>(n, c).Fill(7, normal: true);
        using var b = new AlignedMatrix<T>(n, c);
        Report(CompareShapes.SolveCase<T>(n, c), FlopFormulas.Potrs(n, c), Measure(
            () => Cholesky.Solve(Isa.Best, WorkerPool.DefaultWorkers, l.ReadOnly, b.View),
            reps, minTime, restore: () => b0.Span.CopyTo(b.Span)));
    }

    static List<(string, Action<int, double>)> EighCases(int[] sizes)
    {
        var cases = new List<(string, Action<int, double>)>();
        foreach (int d in sizes)
        {
            cases.Add((CompareShapes.EighCase<double>(d), (reps, minTime) => TimeEigh<double>(d, reps, minTime)));
            cases.Add((CompareShapes.EighCase<float>(d), (reps, minTime) => TimeEigh<float>(d, reps, minTime)));
        }
        return cases;
    }

    /// <summary>SymmetricEigen.Decompose of a d x d Wishart matrix G G^T / d (G standard normal, d x d): PSD
    /// with a spread spectrum, like RFM's AGOP. A is only read, so nothing is restored.</summary>
    static void TimeEigh<T>(int d, int reps, double minTime) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (EigenBinding.Get<T>() is not { } decompose)
        {
            Info("eigh-missing", $"{CompareShapes.EighCase<T>(d)}: {EigenBinding.Describe()}");
            return;
        }
        using var a = Wishart<T>(d, seed: 8);
        using var w = new AlignedMatrix<T>(1, d);
        using var v = new AlignedMatrix<T>(d, d);
        Report(CompareShapes.EighCase<T>(d), FlopFormulas.EighNominal(d),
            Measure(() => decompose(a.ReadOnly, w.Span, v.View), reps, minTime));
    }

    /// <summary>The SPD matrix of the potrf and solve suites: Laplace kernel exp(-|x_i - x_j| / 10) of n
    /// standard normal points in 16 dimensions (computed in T by the core), plus 1e-3 I; both triangles.</summary>
    internal static AlignedMatrix<T> SpdMatrix<T>(int n, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var x = new AlignedMatrix<T>(n, CompareShapes.SpdDim).Fill(seed, normal: true);
        var a = new AlignedMatrix<T>(n, n);
        var kernel = KernelFunction.Laplace(CompareShapes.SpdBandwidth);
        if (typeof(T) == typeof(float))
            KernelMatrix.Compute(kernel, ReadOnlyAs<T, float>(x), ReadOnlyAs<T, float>(x), ViewAs<T, float>(a));
        else
            KernelMatrix.Compute(kernel, ReadOnlyAs<T, double>(x), ReadOnlyAs<T, double>(x), ViewAs<T, double>(a));
        var view = a.View;
        T reg = T.CreateTruncating(CompareShapes.SpdReg);
        for (int i = 0; i < n; i++)
            view[i, i] += reg;
        return a;
    }

    /// <summary>G G^T / d with G d x d standard normal, accumulated in double, stored in T.</summary>
    static AlignedMatrix<T> Wishart<T>(int d, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var g = new AlignedMatrix<double>(d, d).Fill(seed, normal: true);
        using var m = new AlignedMatrix<double>(d, d);
        Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.Yes, 1.0 / d, g.ReadOnly, g.ReadOnly, 0.0, m.View);
        var a = new AlignedMatrix<T>(d, d);
        var mv = m.View;
        var av = a.View;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                // Symmetric to the last bit: the GEMM need not produce m[i, j] == m[j, i] exactly.
                av[i, j] = av[j, i] = T.CreateTruncating(mv[i, j]);
            }
        }
        return a;
    }

    static ReadOnlyMatrixView<TTo> ReadOnlyAs<T, TTo>(AlignedMatrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> where TTo : struct =>
        new(MemoryMarshal.Cast<T, TTo>(m.Span), m.Rows, m.Cols);

    static MatrixView<TTo> ViewAs<T, TTo>(AlignedMatrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> where TTo : struct =>
        new(MemoryMarshal.Cast<T, TTo>(m.Span), m.Rows, m.Cols);

    // potrf TAG DTYPE N: factor TAG_a.bin (n x n) in place and write it back as TAG_l_rfmfast.bin; when the
    // factorization throws, also write the 1-based failing pivot (LAPACK's info) to TAG_info_rfmfast.txt (the
    // matrix written is then what Factor left behind: it must be the input, restored).
    static void CheckPotrf<T>(int n, Func<string, string> path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var a = Load<T>(path("a"), n, n);
        try
        {
            Cholesky.Factor(Isa.Best, WorkerPool.DefaultWorkers, a.View);
        }
        catch (NotPositiveDefiniteException e)
        {
            File.WriteAllText(Path.ChangeExtension(path("info_rfmfast"), ".txt"), e.Info.ToString(CultureInfo.InvariantCulture));
        }
        Save(path("l_rfmfast"), a);
    }

    // potrs TAG DTYPE N C: solve with the factor TAG_l.bin (lower, n x n; the strict upper triangle is NaN)
    // and the right-hand sides TAG_b.bin (n x c); write TAG_x_rfmfast.bin.
    static void CheckPotrs<T>(int n, int c, Func<string, string> path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var l = Load<T>(path("l"), n, n);
        using var b = Load<T>(path("b"), n, c);
        Cholesky.Solve(Isa.Best, WorkerPool.DefaultWorkers, l.ReadOnly, b.View);
        Save(path("x_rfmfast"), b);
    }

    // eigh TAG DTYPE D: eigenvalues and eigenvectors of TAG_a.bin (d x d symmetric); write TAG_w_rfmfast.bin
    // and TAG_v_rfmfast.bin (d x d, row-major; which of rows or columns are the vectors is checked by the peer).
    static void CheckEigh<T>(int d, Func<string, string> path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (EigenBinding.Get<T>() is not { } decompose)
            return; // no output: the peer reports it
        using var a = Load<T>(path("a"), d, d);
        using var w = new AlignedMatrix<T>(1, d);
        using var v = new AlignedMatrix<T>(d, d);
        decompose(a.ReadOnly, w.Span, v.View);
        Save(path("w_rfmfast"), w);
        Save(path("v_rfmfast"), v);
    }
}

/// <summary>SymmetricEigen.Decompose(a, eigenvalues, eigenvectors).</summary>
delegate void EighCall<T>(ReadOnlyMatrixView<T> a, Span<T> eigenvalues, MatrixView<T> eigenvectors);

/// <summary>
/// Binds RfmFast.Core's SymmetricEigen.Decompose at run time, so the bench builds whether or not the core
/// already has the eigensolver (it was being written when the eigh suite was added); the suite reports
/// the decomposition as missing instead of failing to compile.
/// </summary>
static class EigenBinding
{
    const string TypeName = "RfmFast.Core.SymmetricEigen";

    static Type? EigenType => typeof(Cholesky).Assembly.GetType(TypeName);

    public static EighCall<T>? Get<T>()
    {
        MethodInfo? m = EigenType?.GetMethod("Decompose", BindingFlags.Public | BindingFlags.Static,
            [typeof(ReadOnlyMatrixView<T>), typeof(Span<T>), typeof(MatrixView<T>)]);
        return m?.CreateDelegate<EighCall<T>>();
    }

    public static string Describe()
    {
        if (EigenType is not { } t)
            return $"{TypeName} is not in this build of RfmFast.Core: the eigh suite has no RfmFast side";
        var overloads = t.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == "Decompose")
            .Select(m => $"Decompose({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})");
        return $"{TypeName}: {string.Join("; ", overloads)}; bound: double {(Get<double>() is null ? "no" : "yes")}, "
            + $"float {(Get<float>() is null ? "no" : "yes")}";
    }
}
