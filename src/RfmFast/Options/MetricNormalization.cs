namespace RfmFast;

/// <summary>How the AGOP becomes the next feature matrix M.</summary>
public enum MetricNormalization
{
    /// <summary>M = G, the AGOP averaged over the evaluation points (the paper's tabular scripts).</summary>
    Mean = 0,

    /// <summary>M = G / max_ij |G_ij| (the rfm and xRFM packages). With a fixed bandwidth the two give
    /// different kernels.</summary>
    MaxEntry = 1,
}
