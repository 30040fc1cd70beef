using FsCheck.Fluent;
using RfmFast.Core.Linalg;
using RfmFast.PropertyTests.Infrastructure;
using Xunit;

namespace RfmFast.PropertyTests.Linalg;

/// <summary>
/// <see cref="TriangleMirror"/> against the definition: the strict upper triangle becomes the lower one's
/// mirror, nothing else changes (the lower triangle, the diagonal, the padding beyond n in each row).
/// Orders straddle the 64-tile and the 8 x 8 transpose edges; leading dimensions exceed n.
/// </summary>
public sealed class TriangleMirrorProperties
{
    [Fact]
    public void MirrorsTheLowerTriangleExactly()
    {
        var cases = Gen.Frequency(
                (2, Gen.Choose(0, 9)),
                (4, Gen.Choose(10, 140)),
                (2, Gen.Elements(63, 64, 65, 127, 128, 129, 192, 200)))
            .SelectMany(n => Gen.Choose(0, 9).Select(pad => (N: n, Ld: n + pad)))
            .ToArbitrary();
        PropertyRunner.Check("triangle-mirror", cases, c => Check(c.N, c.Ld), 60);
    }

    static unsafe void Check(int n, int ld)
    {
        var rng = new System.Random(n * 31 + ld);
        var a = new float[System.Math.Max(1, n * ld)];
        for (int i = 0; i < a.Length; i++)
            a[i] = (float)rng.NextDouble();
        var before = (float[])a.Clone();
        fixed (float* p = a)
            TriangleMirror.LowerToUpper(p, ld, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < ld; j++)
            {
                float expected = j > i && j < n ? before[j * ld + i] : before[i * ld + j];
                Assert.True(a[i * ld + j] == expected, $"n={n} ld={ld}: a[{i},{j}] = {a[i * ld + j]}, expected {expected}");
            }
        }
    }
}
