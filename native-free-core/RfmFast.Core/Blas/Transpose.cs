namespace RfmFast.Core;

/// <summary>Whether a BLAS routine uses an operand as stored or transposed.</summary>
public enum Transpose
{
    /// <summary>op(A) = A.</summary>
    No = 0,

    /// <summary>op(A) = A^T.</summary>
    Yes = 1,
}
