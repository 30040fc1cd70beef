using System;

namespace RfmFast.Cli;

/// <summary>Records the last iteration whose validation score a fit reported (-1 before any), so that a fit
/// that breaks down at a later iteration can be re-run up to the last good one.</summary>
sealed class LastValidated : IProgress<RfmProgress>
{
    public int Iteration { get; private set; } = -1;

    public void Report(RfmProgress value)
    {
        if (value.Phase == RfmPhase.Validate)
            Iteration = value.Iteration;
    }
}
