using System;

namespace RfmFast;

/// <summary>The phases of one RFM iteration, reported through <see cref="IProgress{T}"/>.</summary>
public enum RfmPhase
{
    /// <summary>Building the kernel matrix.</summary>
    Kernel,

    /// <summary>Solving the kernel ridge regression system.</summary>
    Solve,

    /// <summary>Scoring on the validation data.</summary>
    Validate,

    /// <summary>Computing the AGOP, the next feature matrix.</summary>
    Agop,

    /// <summary>The final refit with the chosen feature matrix.</summary>
    Refit,

    /// <summary>A tree node's split: its direction learned and its rows divided (<see cref="RfmProgress.Node"/> is
    /// the node).</summary>
    Split,

    /// <summary>A tree's routing temperature chosen on the validation data.</summary>
    Routing,
}

/// <summary>One progress report of a fit.</summary>
/// <param name="Iteration">The iteration (0 is the plain kernel).</param>
/// <param name="Phase">The phase just finished.</param>
/// <param name="ValidationScore">The iteration's validation score (MSE for regression, accuracy for
/// classification), or NaN before it is known.</param>
/// <param name="Elapsed">Time since the fit started (in a tree: since the leaf's fit started).</param>
/// <param name="Node">-1 outside a tree. In a tree: the leaf being fitted (0 to <paramref name="Leaves"/> - 1, left to
/// right), or for <see cref="RfmPhase.Split"/> the node being split (0 is the root, numbered depth first).</param>
/// <param name="Leaves">The tree's leaf count, or 0 outside a tree.</param>
public readonly record struct RfmProgress(int Iteration, RfmPhase Phase, double ValidationScore, TimeSpan Elapsed, int Node = -1, int Leaves = 0);

/// <summary>What the kernel ridge solve of one iteration did.</summary>
/// <param name="Requested">The precision asked for.</param>
/// <param name="Used">The precision that produced the coefficients.</param>
/// <param name="Refinements">Refinement (conjugate-gradient) steps of a mixed-precision solve.</param>
/// <param name="BackwardError">The final backward error of a mixed-precision solve, else NaN.</param>
/// <param name="FellBack">Whether the solve could not do what was asked (a double fallback, or jitter added to
/// the diagonal).</param>
/// <param name="Reason">Why it fell back, or null.</param>
public readonly record struct RfmSolveReport(RfmSolvePrecision Requested, RfmSolvePrecision Used, int Refinements,
    double BackwardError, bool FellBack, string? Reason);

/// <summary>What one iteration of a fit did.</summary>
/// <param name="Iteration">The iteration (0 is the plain kernel).</param>
/// <param name="ValidationScore">MSE (regression, in the fitted, possibly standardised, target) or accuracy
/// (classification) on the validation data; NaN without validation or when the iteration failed.</param>
/// <param name="Seconds">The iteration's time, AGOP included.</param>
/// <param name="Solve">What the kernel ridge solve did (precision used, refinements, fallback).</param>
/// <param name="Failure">Null, or why this iteration could not be fitted: the fit then stopped and kept the best
/// earlier iteration.</param>
public readonly record struct RfmIteration(int Iteration, double ValidationScore, double Seconds, RfmSolveReport Solve,
    string? Failure = null);
