namespace RfmFast;

#pragma warning disable CA1720 // The members are named after the precisions they select, on purpose.
/// <summary>The precision a fit computes in, from the kernel matrices to the predictions.</summary>
public enum FitPrecision
{
    /// <summary>float: half the memory and twice the speed; the solve follows <see cref="RfmOptions.SolvePrecision"/>.</summary>
    Float32 = 0,

    /// <summary>double throughout (kernel, Cholesky, AGOP, predictions): twice the memory, about half the
    /// speed; <see cref="RfmOptions.SolvePrecision"/> does not apply.</summary>
    Float64 = 1,
}
#pragma warning restore CA1720
