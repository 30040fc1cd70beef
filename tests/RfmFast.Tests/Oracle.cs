using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace RfmFast.Tests;

/// <summary>What the numpy reference did at each iteration t = 0..iters (see oracle/oracle.py).</summary>
sealed record OracleResult(double[] Mse, double[] FitMse, double[][] Predictions, double[][] Metrics, double[][] Alphas);

/// <summary>Runs oracle/oracle.py, which imports ../shared/peers/numpy_rfm.py, with /usr/bin/python3.</summary>
static class Oracle
{
    public const string Python = "/usr/bin/python3";
    public const string AptPackages = "python3-numpy python3-scipy python3-threadpoolctl libopenblas0-pthread";

    static string Script => Path.Combine(TestSupport.RepoRoot, "tests", "RfmFast.Tests", "oracle", "oracle.py");

    static string Peers => Path.Combine(TestSupport.SharedDir, "peers");

    /// <summary>Runs the reference on row-major float64 data; fails the test (never skips) when Python, numpy,
    /// scipy or threadpoolctl or the reference script are missing.</summary>
    public static OracleResult Run(double[] x, double[] y, double[] xte, double[] yte, int n, int m, int d, int c,
        double bandwidth, double reg, int iters, string dtype = "float64", string mNorm = "n")
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} not found: the reference comparison needs Debian's Python 3 with {AptPackages} (apt-get install -y python3 {AptPackages}).");
        if (!File.Exists(Script))
            Assert.Fail($"The oracle driver {Script} is missing.");
        if (!File.Exists(Path.Combine(Peers, "numpy_rfm.py")))
            Assert.Fail($"The reference {Path.Combine(Peers, "numpy_rfm.py")} is missing (set RFMFAST_SHARED_DIR to the shared folder).");

        string work = Path.Combine(Path.GetTempPath(), "rfmfast-oracle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            Write(Path.Combine(work, "x.f64"), x, n * d);
            Write(Path.Combine(work, "y.f64"), y, n * c);
            Write(Path.Combine(work, "xte.f64"), xte, m * d);
            Write(Path.Combine(work, "yte.f64"), yte, m * c);
            File.WriteAllText(Path.Combine(work, "meta.json"), JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["n"] = n, ["m"] = m, ["d"] = d, ["c"] = c, ["bandwidth"] = bandwidth, ["reg"] = reg, ["iters"] = iters,
                ["dtype"] = dtype, ["m_norm"] = mNorm,
            }));

            var psi = new ProcessStartInfo(Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(Script);
            psi.ArgumentList.Add(Peers);
            psi.ArgumentList.Add(work);
            // The machine pins OpenBLAS to Haswell kernels; the peers' README runs them with the pin removed.
            // One BLAS thread: the matrices are small and xunit runs test classes in parallel.
            psi.Environment.Remove("OPENBLAS_CORETYPE");
            psi.Environment.Remove("OPENBLAS_L2_SIZE");
            psi.Environment["OPENBLAS_NUM_THREADS"] = "1";
            psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(120_000))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("The oracle did not finish within 120 s.");
            }
            string err = stderr.Result;
            if (p.ExitCode == 3 && stdout.Contains("MISSING:", StringComparison.Ordinal))
                Assert.Fail($"{Python} lacks Python modules ({stdout.Trim()}); the reference comparison needs the Debian packages " +
                    $"{AptPackages} (apt-get install -y {AptPackages}).");
            if (p.ExitCode != 0)
                Assert.Fail($"The oracle failed (exit {p.ExitCode}):\n{stdout}\n{err}");

            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "result.json")));
            double[] mse = json.RootElement.GetProperty("mse").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            double[] fitMse = json.RootElement.GetProperty("fit_mse").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            double[][] Read(string prefix, int count) => Enumerable.Range(0, iters + 1)
                .Select(t => ReadDoubles(Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"{prefix}_{t}.f64")), count)).ToArray();
            return new OracleResult(mse, fitMse, Read("pred", m * c), Read("M", d * d), Read("alpha", n * c));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    static void Write(string path, double[] values, int count)
    {
        Assert.Equal(count, values.Length);
        Assert.True(BitConverter.IsLittleEndian, "the oracle's files are little-endian");
        var bytes = new byte[count * sizeof(double)];
        for (int i = 0; i < count; i++)
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), values[i]); // little-endian on every .NET target here
        File.WriteAllBytes(path, bytes);
    }

    static double[] ReadDoubles(string path, int count)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(count * sizeof(double), bytes.Length);
        var v = new double[count];
        for (int i = 0; i < count; i++)
            v[i] = BitConverter.ToDouble(bytes, i * 8);
        return v;
    }
}
