using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace RfmFast.Cli.Tests;

/// <summary>A temp folder removed at dispose, and the files the tests write into it.</summary>
sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rfm-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        string p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Seeded synthetic data sets.</summary>
static class Synthetic
{
    static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Two numeric classes decided by a and b (c is noise), label column last, named 'label'.</summary>
    public static string Classification(int n, int seed, bool textLabels = false)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < n; i++)
        {
            double a = Gauss(rng), b = Gauss(rng), c = Gauss(rng);
            bool yes = a + 0.5 * b > 0;
            string label = textLabels ? (yes ? "yes" : "no") : (yes ? "1" : "0");
            sb.Append($"{F(a)},{F(b)},{F(c)},{label}\n");
        }
        return sb.ToString();
    }

    /// <summary>y = 3 sin(x1) + 0.5 x2 + 10 (no noise), x1, x2 uniform on [-2, 2].</summary>
    public static string Regression(int n, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < n; i++)
        {
            double a = 4 * rng.NextDouble() - 2, b = 4 * rng.NextDouble() - 2;
            sb.Append($"{F(a)},{F(b)},{F(3 * Math.Sin(a) + 0.5 * b + 10)}\n");
        }
        return sb.ToString();
    }

    public static double Gauss(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
