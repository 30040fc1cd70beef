namespace RfmFast;

/// <summary>The radial kernel of an RFM, as a function of the Mahalanobis distance r = |x - z|_M.</summary>
public enum RfmKernel
{
    /// <summary>exp(-r / L), the RFM paper's kernel.</summary>
    Laplace = 0,

    /// <summary>exp(-r^2 / (2 L^2)).</summary>
    Gaussian = 1,

    /// <summary>exp(-r^q / L^q), q = <see cref="RfmOptions.Exponent"/> in (0, 2].</summary>
    GeneralizedLaplace = 2,
}
