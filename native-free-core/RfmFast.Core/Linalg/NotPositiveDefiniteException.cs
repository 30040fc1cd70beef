using System;

namespace RfmFast.Core;

/// <summary>
/// A Cholesky factorization met a pivot that is not positive (or not a number): the matrix is not
/// positive definite in the working precision.
/// </summary>
public sealed class NotPositiveDefiniteException : ArithmeticException
{
    /// <summary>Creates the exception for a failing pivot.</summary>
    /// <param name="pivot">The 0-based index of the failing pivot.</param>
    /// <param name="value">The value the pivot would have had to be square-rooted.</param>
    public NotPositiveDefiniteException(int pivot, double value)
        : base($"The matrix is not positive definite: pivot {pivot} (LAPACK info {pivot + 1}) is {value:G6}.")
    {
        Pivot = pivot;
        PivotValue = value;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public NotPositiveDefiniteException() : base("The matrix is not positive definite.") => Pivot = -1;

    /// <summary>Creates the exception with a message only.</summary>
    public NotPositiveDefiniteException(string message) : base(message) => Pivot = -1;

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public NotPositiveDefiniteException(string message, Exception innerException) : base(message, innerException) => Pivot = -1;

    /// <summary>The 0-based index of the failing pivot; LAPACK's info is <c>Pivot + 1</c>.</summary>
    public int Pivot { get; }

    /// <summary>The non-positive (or NaN) value met at the pivot.</summary>
    public double PivotValue { get; }

    /// <summary>LAPACK's info: the 1-based index of the failing pivot.</summary>
    public int Info => Pivot + 1;
}
