using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Providers.LinearAlgebra;
using Transpose = RfmFast.Core.Transpose;
using RfmFast.Core;
using RfmFast.Core.Threading;

namespace RfmFast.Bench;

/// <summary>
/// compare.sh potrf-mathnet: RfmFast's Cholesky.Factor against MathNet.Numerics 5.0.0's managed (pure C#)
/// Cholesky, float and double, in ONE process per case on the SAME matrix (the potrf suite's SPD matrix).
/// RfmFast's lines go to stdout, MathNet's to <c>--peer-out</c>, in the format compare_report.py joins.
/// </summary>
/// <remarks>
/// <para>The timed MathNet call is the managed provider's in-place <c>CholeskyFactor(T[] a, int order)</c>,
/// the routine <c>Matrix&lt;T&gt;.Cholesky()</c> runs after copying the matrix into a new one (MathNet 5.0.0's
/// DenseCholesky.Create). Both sides are then in place on a restored matrix, the restore untimed, like the
/// potrf suite. One warm <c>Matrix&lt;T&gt;.Build.Dense(n, n, data).Cholesky()</c> call is timed too and
/// printed as an info line, so the cost of MathNet's usual API (copy included) is on record.</para>
/// <para>The matrix is symmetric, so RfmFast's row-major array is also MathNet's column-major one; MathNet's
/// factor (column-major lower) read row-major is L^T, which the check compares with RfmFast's L.</para>
/// </remarks>
static class MathNetPeer
{
    public const string PeerName = "mathnet-managed";

    /// <summary>The potrf-mathnet side process. Sizes: n = 1000, 2000 by default; 5000 with --large (MathNet
    /// takes 8-12 s per call there on an idle machine, and 37 s per float call was measured on a loaded one).</summary>
    public static int Run(int reps, double minTime, int[] sizes, bool list, bool checksOnly, bool mathnetFirst,
        string? peerOut, List<string> only)
    {
        var cases = new List<(string Name, Action<TextWriter> Time)>();
        foreach (int n in sizes)
        {
            cases.Add((CompareShapes.PotrfCase<float>(n), peer => TimeBoth<float>(n, reps, minTime, mathnetFirst, peer)));
            cases.Add((CompareShapes.PotrfCase<double>(n), peer => TimeBoth<double>(n, reps, minTime, mathnetFirst, peer)));
        }
        if (list)
        {
            foreach (var c in cases)
                Console.WriteLine(c.Name);
            return 0;
        }
        foreach (string name in only)
        {
            if (!cases.Exists(c => c.Name == name))
            {
                Console.Error.WriteLine($"no case '{name}' in suite potrf-mathnet; --list shows them");
                return 2;
            }
        }
        if (peerOut is null)
        {
            Console.Error.WriteLine("potrf-mathnet needs --peer-out FILE (MathNet's lines are appended there)");
            return 2;
        }

        LinearAlgebraControl.UseManaged();
        Control.MaxDegreeOfParallelism = WorkerPool.DefaultWorkers;
        using var peer = new StreamWriter(peerOut, append: true) { AutoFlush = true };
        CompareRunner.PrintHeader(reps, minTime);
        CompareRunner.Info("timing-restore", "every call preceded by an untimed restore of the matrix from a saved copy; "
            + "a repetition's time is the sum of its calls' own times");
        CompareRunner.Info(peer, "peer", $"MathNet.Numerics {typeof(Matrix<double>).Assembly.GetName().Version}, "
            + $"provider {LinearAlgebraControl.Provider} (LinearAlgebraControl.UseManaged()), "
            + $"Control.MaxDegreeOfParallelism={Control.MaxDegreeOfParallelism}, same process and matrix as RfmFast");
        CompareRunner.Info(peer, "peer-call", "Provider.CholeskyFactor(T[] a, n) in place: what Matrix<T>.Cholesky() runs after copying the matrix");
        CompareRunner.Info(peer, "peer-timing", $"best and median of {reps} repetitions, each >= {minTime} s of calls, "
            + "each call after an untimed restore, after 2 warm-up calls");

        if (checksOnly)
        {
            Check<float>(777, peer);
            Check<float>(1000, peer);
            Check<double>(1000, peer);
            return 0;
        }
        foreach (var c in cases)
        {
            if (only.Count == 0 || only.Contains(c.Name))
                c.Time(peer);
        }
        return 0;
    }

    /// <summary>Times RfmFast and MathNet on the same matrix, in the order given (swapped by compare.sh each round).</summary>
    static void TimeBoth<T>(int n, int reps, double minTime, bool mathnetFirst, TextWriter peer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = CompareShapes.PotrfCase<T>(n);
        double flops = FlopFormulas.Potrf(n);
        using var original = CompareRunner.SpdMatrix<T>(n, seed: 6);
        using var a = new AlignedMatrix<T>(n, n);
        var data = new T[n * n];

        void Ours() => CompareRunner.Report(name, flops, CompareRunner.Measure(
            () => Cholesky.Factor(Isa.Best, WorkerPool.DefaultWorkers, a.View),
            reps, minTime, restore: () => original.Span.CopyTo(a.Span)));

        void Theirs()
        {
            CompareRunner.Report(peer, name, flops, CompareRunner.Measure(
                () => Factor(data, n), reps, minTime, restore: () => original.Span.CopyTo(data)));
            // MathNet's usual API, copy into the factor included: one warm call, for the record.
            original.Span.CopyTo(data);
            var m = Matrix<T>.Build.Dense(n, n, data);
            long t0 = Stopwatch.GetTimestamp();
            var chol = m.Cholesky();
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            GC.KeepAlive(chol);
            CompareRunner.Info(peer, "peer-matrix-api", string.Create(CultureInfo.InvariantCulture,
                $"{name}: Matrix<{typeof(T).Name}>.Build.Dense(n, n, data).Cholesky(), one warm call: {s:F4} s"));
        }

        if (mathnetFirst)
        {
            Theirs();
            Ours();
        }
        else
        {
            Ours();
            Theirs();
        }
    }

    /// <summary>MathNet's managed Cholesky in place on a column-major array.</summary>
    static void Factor<T>(T[] data, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            LinearAlgebraControl.Provider.CholeskyFactor((float[])(object)data, n);
        else
            LinearAlgebraControl.Provider.CholeskyFactor((double[])(object)data, n);
    }

    /// <summary>Both factors of the same matrix: max |L_rfmfast - L_mathnet| / max |L| over the lower triangle,
    /// and each side's max |L L^T - A| / max |A| (in double), plus whether RfmFast left the upper triangle alone.</summary>
    static void Check<T>(int n, TextWriter peer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string tag = $"potrf_mathnet_{CompareShapes.Prefix<T>()}_{n}";
        using var original = CompareRunner.SpdMatrix<T>(n, seed: 9);
        using var a = new AlignedMatrix<T>(n, n);
        original.Span.CopyTo(a.Span);
        Cholesky.Factor(Isa.Best, WorkerPool.DefaultWorkers, a.View);
        var data = new T[n * n];
        original.Span.CopyTo(data);
        Factor(data, n);
        Console.WriteLine($"check\t{tag}\twritten");

        using var ours = new AlignedMatrix<double>(n, n);
        using var theirs = new AlignedMatrix<double>(n, n);
        var o = ours.View;
        var t = theirs.View;
        var av = a.View;
        var ov = original.View;
        double diff = 0, lmax = 0, amax = 0;
        bool upperKept = true;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                amax = Math.Max(amax, Math.Abs(double.CreateTruncating(ov[i, j])));
                if (j > i)
                {
                    upperKept &= av[i, j] == ov[i, j];
                    continue;
                }
                double lo = double.CreateTruncating(av[i, j]), lt = double.CreateTruncating(data[(long)j * n + i]);
                o[i, j] = lo;
                t[i, j] = lt;
                diff = Math.Max(diff, Math.Abs(lo - lt));
                lmax = Math.Max(lmax, Math.Abs(lo));
            }
        }
        double Residual(AlignedMatrix<double> l)
        {
            using var llt = new AlignedMatrix<double>(n, n);
            Blas.Gemm(Isa.Best, WorkerPool.DefaultWorkers, Transpose.No, Transpose.Yes, 1.0, l.ReadOnly, l.ReadOnly, 0.0, llt.View);
            var v = llt.View;
            var orig = original.View;
            double r = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    r = Math.Max(r, Math.Abs(v[i, j] - double.CreateTruncating(orig[i, j])));
            return r / amax;
        }
        double rOurs = Residual(ours), rTheirs = Residual(theirs);
        double eps = double.CreateTruncating(MachineEpsilon<T>());
        string verdict = !double.IsFinite(rOurs) ? "FAIL (NaN or Inf in the RfmFast factor)"
            : !upperKept ? "FAIL (the strict upper triangle was written)"
            : rOurs <= 10 * Math.Max(rTheirs, eps * Math.Sqrt(n)) ? "OK" : "SUSPECT";
        peer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"check\t{tag}\t{typeof(T).Name} n={n} SPD (Laplace + 1e-3 I): max|L_rfmfast - L_mathnet|/max|L| {diff / lmax:0.00e+00}; "
            + $"max|L L^T - A|/max|A| rfmfast {rOurs:0.00e+00}, mathnet {rTheirs:0.00e+00}; upper triangle untouched: {upperKept} -> {verdict}"));
    }

    static T MachineEpsilon<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        T.BitIncrement(T.One) - T.One;
}
