using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace RfmFast.Tests;

/// <summary>Seeded synthetic data, the UCI-121 reader, and where the repository and the shared folder are.</summary>
static class TestSupport
{
    /// <summary>The repository root: the first folder above the test executable holding RfmFast.sln (the build
    /// output and the arm64 publish folder both live under it).</summary>
    /// <summary>The running test's cancellation token.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared next to the repository (data and peers), or RFMFAST_SHARED_DIR.</summary>
    public static string SharedDir =>
        Environment.GetEnvironmentVariable("RFMFAST_SHARED_DIR") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RfmFast.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"RfmFast.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>The same numbers as a double matrix.</summary>
    public static double[,] ToDouble(float[,] a)
    {
        var r = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                r[i, j] = a[i, j];
        return r;
    }

    /// <summary>Standard normal n x d matrix (Box-Muller on a seeded <see cref="Random"/>).</summary>
    public static float[,] Gaussian(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                x[i, j] = (float)NextGaussian(rng);
        return x;
    }

    public static double NextGaussian(Random rng)
    {
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>The numpy_rfm.py target: output k is (x_k > 0) * x_{k+1} (indices mod d), so each output depends
    /// on two of the d coordinates.</summary>
    public static float[,] TwoCoordinateTarget(float[,] x, int outputs)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var y = new float[n, outputs];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < outputs; k++)
                y[i, k] = x[i, k % d] > 0 ? x[i, (k + 1) % d] : 0f;
        return y;
    }

    /// <summary>Gaussian blobs around well separated centers, one per label, labelled with the given labels.</summary>
    public static (float[,] X, int[] Labels) Blobs(int[] labels, int perClass, int d, double spread, int seed)
    {
        var rng = new Random(seed);
        int n = labels.Length * perClass;
        var x = new float[n, d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % labels.Length;
            y[i] = labels[k];
            for (int j = 0; j < d; j++)
                x[i, j] = (float)((j == k % d ? 4.0 : 0.0) + spread * NextGaussian(rng));
        }
        return (x, y);
    }

    public static float[,] Rows(float[,] x, int[] rows)
    {
        int d = x.GetLength(1);
        var r = new float[rows.Length, d];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < d; j++)
                r[i, j] = x[rows[i], j];
        return r;
    }

    public static float[] Row(float[,] x, int i)
    {
        int d = x.GetLength(1);
        var r = new float[d];
        for (int j = 0; j < d; j++)
            r[j] = x[i, j];
        return r;
    }

    public static float[,] Clone2(float[,] x) => (float[,])x.Clone();

    public static bool SameBits(float[,] a, float[,] b) =>
        a.GetLength(0) == b.GetLength(0) && a.GetLength(1) == b.GetLength(1) &&
        a.Cast<float>().Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Cast<float>().Select(BitConverter.SingleToInt32Bits));

    /// <summary>One UCI-121 dataset (fich1) with its conxuntos_kfold.dat split <paramref name="split"/>
    /// (see ../shared/data/uci121/FORMAT.md): from the repository's data/uci121-sample (an unchanged copy of a few
    /// datasets, so a fresh clone has them) or else the shared collection.</summary>
    public static (float[,] XTrain, int[] YTrain, float[,] XTest, int[] YTest) Uci(string dataset, int split)
    {
        string dir = Path.Combine(RepoRoot, "data", "uci121-sample", dataset);
        if (!Directory.Exists(dir))
            dir = Path.Combine(SharedDir, "data", "uci121", dataset);
        Assert.True(Directory.Exists(dir), $"UCI-121 dataset {dataset} not found in data/uci121-sample or {Path.Combine(SharedDir, "data", "uci121")}");
        string meta = File.ReadAllText(Path.Combine(dir, dataset + ".txt"));
        string fich1 = meta.Split('\n').Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .First(p => p.Length == 2 && p[0] == "fich1=")[1];
        string[] lines = File.ReadAllLines(Path.Combine(dir, fich1)).Skip(1).Where(l => l.Length > 0).ToArray();
        int d = lines[0].Split('\t').Length - 2;
        var x = new float[lines.Length, d];
        var y = new int[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            string[] f = lines[i].Split('\t');
            if (int.Parse(f[0], CultureInfo.InvariantCulture) != i + 1)
                throw new InvalidDataException($"{fich1} line {i + 2}: row number {f[0]}");
            for (int j = 0; j < d; j++)
                x[i, j] = float.Parse(f[j + 1], CultureInfo.InvariantCulture);
            y[i] = int.Parse(f[d + 1], CultureInfo.InvariantCulture);
        }
        string[] splits = File.ReadAllLines(Path.Combine(dir, "conxuntos_kfold.dat"));
        int[] Ints(string l) => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int[] train = Ints(splits[2 * split]), test = Ints(splits[2 * split + 1]);
        return (Rows(x, train), train.Select(i => y[i]).ToArray(), Rows(x, test), test.Select(i => y[i]).ToArray());
    }
}
