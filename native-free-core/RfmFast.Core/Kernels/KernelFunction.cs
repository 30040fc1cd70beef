using System;

namespace RfmFast.Core;

/// <summary>The radial kernels of RFM, as functions of the (Mahalanobis) distance r.</summary>
public enum KernelKind
{
    /// <summary>exp(-r / L).</summary>
    Laplace = 0,

    /// <summary>exp(-r^2 / (2 L^2)).</summary>
    Gaussian = 1,

    /// <summary>exp(-r^q / L^q), q in (0, 2].</summary>
    GeneralizedLaplace = 2,
}

/// <summary>A radial kernel with its bandwidth L (and exponent q for the generalized Laplace kernel),
/// validated on construction.</summary>
public readonly record struct KernelFunction
{
    KernelFunction(KernelKind kind, double bandwidth, double exponent)
    {
        if (!double.IsFinite(bandwidth) || bandwidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "The bandwidth must be positive and finite.");
        if (!double.IsFinite(exponent) || exponent <= 0 || exponent > 2)
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "The exponent q must be in (0, 2].");
        Kind = kind;
        Bandwidth = bandwidth;
        Exponent = exponent;
    }

    /// <summary>Which kernel.</summary>
    public KernelKind Kind { get; }

    /// <summary>The bandwidth L.</summary>
    public double Bandwidth { get; }

    /// <summary>The exponent q: 1 for Laplace, 2 for Gaussian (whose scale is 2 L^2, not L^2).</summary>
    public double Exponent { get; }

    /// <summary>exp(-r / L).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bandwidth"/> is not positive and finite.</exception>
    public static KernelFunction Laplace(double bandwidth) => new(KernelKind.Laplace, bandwidth, 1);

    /// <summary>exp(-r^2 / (2 L^2)).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bandwidth"/> is not positive and finite.</exception>
    public static KernelFunction Gaussian(double bandwidth) => new(KernelKind.Gaussian, bandwidth, 2);

    /// <summary>exp(-r^q / L^q).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bandwidth"/> is not positive and finite,
    /// or <paramref name="exponent"/> is outside (0, 2].</exception>
    public static KernelFunction GeneralizedLaplace(double bandwidth, double exponent) =>
        new(KernelKind.GeneralizedLaplace, bandwidth, exponent);

    /// <summary>k as a function of the squared distance, in double: the reference the fast paths are tested against.</summary>
    public double Evaluate(double squaredDistance)
    {
        double d2 = Math.Max(squaredDistance, 0);
        return Kind switch
        {
            KernelKind.Laplace => Math.Exp(-Math.Sqrt(d2) / Bandwidth),
            KernelKind.Gaussian => Math.Exp(-d2 / (2 * Bandwidth * Bandwidth)),
            _ => Math.Exp(-Math.Pow(Math.Sqrt(d2) / Bandwidth, Exponent)),
        };
    }
}
