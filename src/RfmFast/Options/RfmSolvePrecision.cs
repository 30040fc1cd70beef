namespace RfmFast;

#pragma warning disable CA1720 // The members are named after the precisions they select, on purpose.
/// <summary>The precision of a float fit's kernel ridge solve (a <see cref="FitPrecision.Float64"/> fit always
/// solves in double).</summary>
public enum RfmSolvePrecision
{
    /// <summary>Factor and solve in float: fastest, accurate to about cond(K) * 6e-8.</summary>
    Float32 = 0,

    /// <summary>Factor and solve in double: a double copy of the kernel matrix (8 n^2 bytes) is made.</summary>
    Float64 = 1,

    /// <summary>The default: factor in float, refine to double accuracy by conjugate gradients preconditioned
    /// with the float factor; falls back to <see cref="Float64"/> only when that does not converge.</summary>
    Mixed = 2,
}
#pragma warning restore CA1720
