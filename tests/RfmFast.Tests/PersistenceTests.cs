using System;
using System.Buffers.Binary;
using System.IO;
using RfmFast.Persistence;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>Save and Load: exact round trips of regressors and classifiers in both precisions, and every
/// corruption the loader must refuse with <see cref="RfmModelFormatException"/> (magic, version, truncation at
/// every length, any flipped byte, sizes that do not add up, a huge declared size) without allocating from it.</summary>
public sealed class PersistenceTests
{
    const int N = 12, D = 3;

    static RfmRegressionModel Regressor(FitPrecision precision, int n = N)
    {
        var x = Gaussian(n, D, 21);
        var y = new float[n, 2];
        for (int i = 0; i < n; i++)
        {
            y[i, 0] = x[i, 0] * x[i, 1];
            y[i, 1] = (float)Math.Cos(x[i, 2]);
        }
        return new RfmRegressor(new RfmOptions { Iterations = 2, ValidationFraction = 0, Precision = precision }).Fit(x, y, cancellationToken: Ct);
    }

    static byte[] Bytes(RfmModel m, string[]? names = null, string? target = null, System.Collections.Generic.Dictionary<string, string>? meta = null)
    {
        using var ms = new MemoryStream();
        m.Save(ms, names, target, meta);
        return ms.ToArray();
    }

    static RfmModel Load(byte[] b) => RfmModel.Load(new MemoryStream(b));

    [Fact]
    public void Crc32C_has_its_check_value() =>
        Assert.Equal(0xE3069283u, Crc32C.Append(0, "123456789"u8));

    [Theory]
    [InlineData(FitPrecision.Float32)]
    [InlineData(FitPrecision.Float64)]
    public void A_regressor_round_trips_exactly(FitPrecision precision)
    {
        var m = Regressor(precision);
        var meta = new System.Collections.Generic.Dictionary<string, string> { ["scale"] = "1.5,2", ["ünïcode"] = "✓" };
        var back = Load(Bytes(m, ["a", "b", "c"], "y", meta));
        Assert.Equal(meta, back.Metadata);
        Assert.Equal(precision, back.Precision);
        Assert.Equal(["a", "b", "c"], back.FeatureNames);
        Assert.Equal("y", back.TargetName);
        Assert.Equal(m.Kernel, back.Kernel);
        Assert.Equal(m.BestIteration, back.BestIteration);
        Assert.Equal(m.History, back.History);
        Assert.Equal(m.FeatureMatrixDouble(), back.FeatureMatrixDouble());
        var q = Gaussian(9, D, 5);
        Assert.True(SameBits(m.PredictRaw(q), back.PredictRaw(q)), "batch predictions differ in some bit");
        var one = new float[2];
        var two = new float[2];
        m.PredictRaw([0.1f, -0.2f, 0.3f], one);
        back.PredictRaw([0.1f, -0.2f, 0.3f], two);
        Assert.Equal(one, two);
        // Saving the loaded model gives the same bytes.
        Assert.Equal(Bytes(m, ["a", "b", "c"], "y", meta), Bytes(back));
    }

    [Fact]
    public void A_classifier_comes_back_as_a_classifier()
    {
        var x = Gaussian(30, D, 8);
        var labels = new int[30];
        for (int i = 0; i < 30; i++)
            labels[i] = x[i, 0] > 0 ? 7 : -3;
        var m = new RfmClassifier(new RfmOptions { Iterations = 1, ValidationFraction = 0 }).Fit(x, labels, cancellationToken: Ct);
        var back = Assert.IsType<RfmClassifierModel>(Load(Bytes(m)));
        Assert.Equal([-3, 7], back.Classes);
        Assert.Equal(m.Predict(x), back.Predict(x));
        Assert.True(SameBits(m.PredictProba(x), back.PredictProba(x)), "probabilities differ in some bit");
        Assert.True(SameBits(m.PredictRaw(x), back.PredictRaw(x)), "scores differ in some bit");
        Assert.Equal(m.FeatureImportances(), back.FeatureImportances());
        Assert.Equal(m.History, back.History);
        Assert.Empty(back.FeatureNames);
    }

    [Fact]
    public void Wrong_magic_and_newer_versions_are_named()
    {
        var b = Bytes(Regressor(FitPrecision.Float32));
        var bad = (byte[])b.Clone();
        bad[0] ^= 0xFF;
        Assert.Contains("magic", Assert.Throws<RfmModelFormatException>(() => Load(bad)).Message, StringComparison.Ordinal);
        var newer = (byte[])b.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(newer.AsSpan(8), ModelFile.Version + 1);
        Reseal(newer);
        Assert.Contains("version", Assert.Throws<RfmModelFormatException>(() => Load(newer)).Message, StringComparison.Ordinal);
        Assert.Throws<RfmModelFormatException>(() => Load([]));
    }

    [Fact]
    public void Every_truncation_and_every_flipped_byte_is_refused()
    {
        var b = Bytes(Regressor(FitPrecision.Float32), ["a", "b", "c"], "t");
        for (int len = 0; len < b.Length; len++)
            Assert.Throws<RfmModelFormatException>(() => Load(b.AsSpan(0, len).ToArray()));
        for (int i = 0; i < b.Length; i++)
        {
            var flipped = (byte[])b.Clone();
            flipped[i] ^= 0x10;
            Assert.Throws<RfmModelFormatException>(() => Load(flipped));
        }
    }

    [Fact]
    public void Sizes_that_do_not_add_up_are_refused_without_allocating_them()
    {
        var b = Bytes(Regressor(FitPrecision.Float32));
        // n sits after magic (8), version and flags (4), four codes (4), bandwidth and exponent (16).
        const int nOffset = 8 + 4 + 4 + 16;
        Assert.Equal(N, BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(nOffset)));
        foreach (int n in new[] { 1 << 30, int.MaxValue, N + 1, N - 1, 0, -5 })
        {
            var bad = (byte[])b.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(nOffset), n);
            Reseal(bad);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<RfmModelFormatException>(() => Load(bad));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, $"n = {n}: the loader allocated from the declared size");
        }
        // A history count far beyond the file.
        var huge = (byte[])b.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(nOffset + 16), int.MaxValue);
        Reseal(huge);
        Assert.Contains("history", Assert.Throws<RfmModelFormatException>(() => Load(huge)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_finite_coefficient_is_refused()
    {
        var b = Bytes(Regressor(FitPrecision.Float32));
        // The last float before the checksum is an entry of M.
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(b.Length - 8), float.NaN);
        Reseal(b);
        Assert.Contains("non-finite", Assert.Throws<RfmModelFormatException>(() => Load(b)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_must_match_the_feature_count()
    {
        var m = Regressor(FitPrecision.Float32);
        Assert.Equal("featureNames", Assert.Throws<ArgumentException>(() => m.Save(new MemoryStream(), ["a"])).ParamName);
    }

    /// <summary>Rewrites the trailing CRC so that a deliberately edited file passes the checksum.</summary>
    static void Reseal(byte[] b) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(b.Length - 4), Crc32C.Append(0, b.AsSpan(0, b.Length - 4)));
}
