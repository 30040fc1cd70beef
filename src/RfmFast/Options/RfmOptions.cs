using System;
using RfmFast.Core;

namespace RfmFast;

/// <summary>The settings of a Recursive Feature Machine fit. Defaults follow the RFM paper's tabular
/// protocol: Laplace kernel, L = 10, reg 1e-3, 5 iterations, the mean AGOP over every training point.</summary>
public sealed record RfmOptions
{
    /// <summary>The kernel: Laplace (default), Gaussian or generalized Laplace.</summary>
    public RfmKernel Kernel { get; init; } = RfmKernel.Laplace;

    /// <summary>The bandwidth L (or, with <see cref="AdaptiveBandwidth"/>, its multiplier). Must be positive.</summary>
    public double Bandwidth { get; init; } = 10;

    /// <summary>Use L = <see cref="Bandwidth"/> times the median pairwise distance of a seeded sample of at most
    /// 2000 training points, measured once with M = I.</summary>
    public bool AdaptiveBandwidth { get; init; }

    /// <summary>The exponent q of the generalized Laplace kernel, in (0, 2].</summary>
    public double Exponent { get; init; } = 1;

    /// <summary>The ridge regularization added to the kernel matrix's diagonal. Non-negative.</summary>
    public double Reg { get; init; } = 1e-3;

    /// <summary>AGOP updates: the fit evaluates iterations 0 (the plain kernel) to <see cref="Iterations"/>.</summary>
    public int Iterations { get; init; } = 5;

    /// <summary>Learn only the diagonal of M (feature scalings).</summary>
    public bool DiagonalMetric { get; init; }

    /// <summary>Subtract each output's mean gradient before the outer products.</summary>
    public bool CenterGradients { get; init; }

    /// <summary>AGOP evaluation points: 0 means every training point, else a seeded random sample of this size.</summary>
    public int AgopSampleSize { get; init; }

    /// <summary>How the AGOP is normalized into M.</summary>
    public MetricNormalization Normalization { get; init; } = MetricNormalization.Mean;

    /// <summary>The precision of the kernel ridge solve: mixed by default (float factorization refined to
    /// double accuracy, falling back to double when float cannot do it).</summary>
    public RfmSolvePrecision SolvePrecision { get; init; } = RfmSolvePrecision.Mixed;

    /// <summary>The precision of the whole fit and of the model's predictions (default float).</summary>
    public FitPrecision Precision { get; init; } = FitPrecision.Float32;

    /// <summary>Without validation data: the seeded fraction of the training rows held out to choose the
    /// iteration (the model is then refit on every row with the chosen M). 0 runs the fixed number of
    /// iterations and keeps the last.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Stop when the validation score is worse than the best by this factor (1.1: 10 % worse).</summary>
    public double EarlyStopMultiplier { get; init; } = 1.1;

    /// <summary>The seed of every random choice (holdout split, AGOP sample, bandwidth sample).</summary>
    public int Seed { get; init; }

    /// <summary>What the fit does to the data first (standardisation, one-hot encoding, row normalisation);
    /// the model repeats it on every prediction. Default <see cref="RfmFast.Preprocessing.None"/>.</summary>
    public Preprocessing Preprocessing { get; init; } = Preprocessing.None;

    /// <summary>A given feature matrix M (d x d, symmetric, finite, in the preprocessed feature space): the fit
    /// solves the kernel ridge regression with it and runs no AGOP iteration (<see cref="Iterations"/> is not
    /// used). Null (the default) learns M from the identity.</summary>
    public double[,]? Metric { get; init; }

    /// <summary>The tree of RFMs (xRFM) a fit on many rows builds: by default, when the training data has more rows
    /// than <see cref="TreeOptions.MaxLeafSize"/>.</summary>
    public TreeOptions Tree { get; init; } = new();

    /// <summary>Worker threads for the core's parallel routines; 0 means all processors.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Checks every setting; throws <see cref="ArgumentOutOfRangeException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (!double.IsFinite(Bandwidth) || Bandwidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(Bandwidth), Bandwidth, "The bandwidth must be positive and finite.");
        if (!double.IsFinite(Exponent) || Exponent <= 0 || Exponent > 2)
            throw new ArgumentOutOfRangeException(nameof(Exponent), Exponent, "The exponent q must be in (0, 2].");
        if (!double.IsFinite(Reg) || Reg < 0)
            throw new ArgumentOutOfRangeException(nameof(Reg), Reg, "reg must be non-negative and finite.");
        if (Iterations < 0)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Iterations must be non-negative.");
        if (AgopSampleSize < 0)
            throw new ArgumentOutOfRangeException(nameof(AgopSampleSize), AgopSampleSize, "The AGOP sample size must be non-negative.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be in [0, 1).");
        if (!(EarlyStopMultiplier >= 1))
            throw new ArgumentOutOfRangeException(nameof(EarlyStopMultiplier), EarlyStopMultiplier, "The early-stop multiplier must be at least 1.");
        if (MaxDegreeOfParallelism < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use 0 for all processors, or a positive count.");
        if (!Enum.IsDefined(Precision))
            throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Unknown precision.");
        if (!Enum.IsDefined(SolvePrecision))
            throw new ArgumentOutOfRangeException(nameof(SolvePrecision), SolvePrecision, "Unknown solve precision.");
        if (!Enum.IsDefined(Normalization))
            throw new ArgumentOutOfRangeException(nameof(Normalization), Normalization, "Unknown metric normalization.");
        ArgumentNullException.ThrowIfNull(Preprocessing);
        ArgumentNullException.ThrowIfNull(Tree);
        Tree.Validate();
        if (!Enum.IsDefined(Kernel))
            throw new ArgumentOutOfRangeException(nameof(Kernel), Kernel, "Unknown kernel.");
    }

    internal KernelFunction KernelWith(double bandwidth) => CoreTypes.Kernel(Kernel, bandwidth, Exponent);
}
