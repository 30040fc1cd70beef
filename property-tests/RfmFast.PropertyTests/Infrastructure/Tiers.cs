using System;
using RfmFast.Core;
using RfmFast.Core.Level3;
using Xunit;

namespace RfmFast.PropertyTests.Infrastructure;

/// <summary>The tiers and worker counts every core property runs on, and the tile shapes of each tier.</summary>
public static class Tiers
{
    /// <summary>Every tier in <see cref="Isa.AcceleratedTiers"/> (all four on an AVX-512 machine) with 1 and 2 workers.</summary>
    public static TheoryData<IsaTier, int> AcceleratedWithWorkers
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

    /// <summary>Every tier in <see cref="Isa.AcceleratedTiers"/>, for properties without a worker count.</summary>
    public static TheoryData<IsaTier> Accelerated
    {
        get
        {
            var data = new TheoryData<IsaTier>();
            foreach (IsaTier tier in Isa.AcceleratedTiers)
                data.Add(tier);
            return data;
        }
    }

    /// <summary>Lanes of <typeparamref name="T"/> in one vector of the tier.</summary>
    public static int Lanes<T>(IsaTier tier) where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        return tier switch
        {
            IsaTier.Scalar => 1,
            IsaTier.V128 => 16 / size,
            IsaTier.V256 => 32 / size,
            IsaTier.V512 => 64 / size,
            _ => throw new ArgumentOutOfRangeException(nameof(tier)),
        };
    }

    /// <summary>Rows of the GEMM micro-tile (the same on every tier).</summary>
    public static int Mr => MicroKernel.MR;

    /// <summary>Columns of the GEMM micro-tile: two vectors.</summary>
    public static int Nr<T>(IsaTier tier) where T : unmanaged => 2 * Lanes<T>(tier);
}
