using FsCheck.Fluent;
using RfmFast.Core;
using RfmFast.Core.Linalg;
using RfmFast.PropertyTests.Infrastructure;
using Xunit;

namespace RfmFast.PropertyTests.Linalg;

/// <summary>
/// <see cref="TriangleMirror"/> against the definition: the strict upper triangle becomes the lower one's
/// mirror, nothing else changes (the lower triangle, the diagonal, the padding beyond n in each row).
/// Orders straddle the 64-tile and the 8 x 8 transpose edges; leading dimensions exceed n. Every tier: the
/// 256- and 512-bit ones take the in-register transposes, the others the element-by-element copy.
/// </summary>
public sealed class TriangleMirrorProperties
{
    [Theory]
    [MemberData(nameof(Tiers.Accelerated), MemberType = typeof(Tiers))]
    public void MirrorsTheLowerTriangleExactly(IsaTier tier)
    {
        var cases = Gen.Frequency(
                (2, Gen.Choose(0, 9)),
                (4, Gen.Choose(10, 140)),
                (2, Gen.Elements(63, 64, 65, 127, 128, 129, 192, 200)))
            .SelectMany(n => Gen.Choose(0, 9).Select(pad => (N: n, Ld: n + pad)))
            .ToArbitrary();
        PropertyRunner.Check($"triangle-mirror {tier}", cases, c => Check(tier, c.N, c.Ld), 60);
    }

    static unsafe void Check(IsaTier tier, int n, int ld)
    {
        var rng = new System.Random(n * 31 + ld);
        var a = new float[System.Math.Max(1, n * ld)];
        for (int i = 0; i < a.Length; i++)
            a[i] = (float)rng.NextDouble();
        var before = (float[])a.Clone();
        fixed (float* p = a)
            TriangleMirror.LowerToUpper(tier, p, ld, n);
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
