using System;
using RfmFast.Core;

namespace RfmFast;

/// <summary>The one place that maps the estimator's own types to the core's and back, so that no core type
/// appears in the estimator's public API.</summary>
internal static class CoreTypes
{
    public static KernelFunction Kernel(RfmKernel kind, double bandwidth, double exponent) => kind switch
    {
        RfmKernel.Laplace => KernelFunction.Laplace(bandwidth),
        RfmKernel.Gaussian => KernelFunction.Gaussian(bandwidth),
        RfmKernel.GeneralizedLaplace => KernelFunction.GeneralizedLaplace(bandwidth, exponent),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kernel."),
    };

    public static RfmKernel Kind(KernelKind kind) => kind switch
    {
        KernelKind.Laplace => RfmKernel.Laplace,
        KernelKind.Gaussian => RfmKernel.Gaussian,
        _ => RfmKernel.GeneralizedLaplace,
    };

    public static SolvePrecision Solve(RfmSolvePrecision p) => p switch
    {
        RfmSolvePrecision.Float32 => SolvePrecision.Float32,
        RfmSolvePrecision.Float64 => SolvePrecision.Float64,
        _ => SolvePrecision.Mixed,
    };

    public static RfmSolvePrecision Solve(SolvePrecision p) => p switch
    {
        SolvePrecision.Float32 => RfmSolvePrecision.Float32,
        SolvePrecision.Float64 => RfmSolvePrecision.Float64,
        _ => RfmSolvePrecision.Mixed,
    };

    public static RfmSolveReport Report(SolveReport r) =>
        new(Solve(r.Requested), Solve(r.Used), r.Refinements, r.BackwardError, r.FellBack, r.Reason);
}
