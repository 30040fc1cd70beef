using System;
using System.Collections.Generic;
using System.Numerics;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>Seeded inputs and the tier lists the tests iterate.</summary>
static class TestData
{
    public static T[] Uniform<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var data = new T[length];
        for (int i = 0; i < data.Length; i++)
            data[i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
        return data;
    }

    public static T[] Filled<T>(int length, T value)
    {
        var data = new T[length];
        data.AsSpan().Fill(value);
        return data;
    }

    /// <summary>Every accelerated tier (all four on AVX-512 hardware) with 1 and 2 workers.</summary>
    public static TheoryData<IsaTier, int> TiersAndWorkers
    {
        get
        {
            var data = new TheoryData<IsaTier, int>();
            foreach (IsaTier tier in Isa.AcceleratedTiers)
            {
                data.Add(tier, 1);
                data.Add(tier, 2);
            }
            return data;
        }
    }

    public static TheoryData<IsaTier> Tiers
    {
        get
        {
            var data = new TheoryData<IsaTier>();
            foreach (IsaTier tier in Isa.AcceleratedTiers)
                data.Add(tier);
            return data;
        }
    }

    public static IEnumerable<(bool TransA, bool TransB)> Transposes()
    {
        yield return (false, false);
        yield return (false, true);
        yield return (true, false);
        yield return (true, true);
    }

    public static Transpose Op(bool trans) => trans ? Transpose.Yes : Transpose.No;
}
