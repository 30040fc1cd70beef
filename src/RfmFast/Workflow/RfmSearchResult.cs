using System.Collections.Generic;

namespace RfmFast;

/// <summary>The outcome of a hyper-parameter search (<see cref="RfmSearch"/>): every candidate tried, in order,
/// and the best one with its fitted model.</summary>
/// <typeparam name="TModel">The model type: <see cref="RfmRegressionModel"/> or <see cref="RfmClassifierModel"/>.</typeparam>
public sealed class RfmSearchResult<TModel> where TModel : RfmModel
{
    internal RfmSearchResult(IReadOnlyList<RfmSearchCandidate> candidates, int candidateCount, bool stoppedByBudget, int bestIndex,
        TModel bestModel, bool higherIsBetter)
    {
        Candidates = candidates;
        CandidateCount = candidateCount;
        StoppedByBudget = stoppedByBudget;
        BestIndex = bestIndex;
        BestModel = bestModel;
        HigherIsBetter = higherIsBetter;
    }

    /// <summary>The candidates tried, in the order given (all of them unless <see cref="StoppedByBudget"/>).</summary>
    public IReadOnlyList<RfmSearchCandidate> Candidates { get; }

    /// <summary>The number of candidates the search was given (<see cref="Candidates"/> holds those tried).</summary>
    public int CandidateCount { get; }

    /// <summary>Whether the time budget ran out before every candidate was tried.</summary>
    public bool StoppedByBudget { get; }

    /// <summary>The index of the best candidate: the best score, the earliest on ties.</summary>
    public int BestIndex { get; }

    /// <summary>The best candidate.</summary>
    public RfmSearchCandidate Best => Candidates[BestIndex];

    /// <summary>The best candidate's fitted model (fitted on the training rows only).</summary>
    public TModel BestModel { get; }

    /// <summary>True for classification (accuracy: higher is better), false for regression (MSE: lower is better).</summary>
    public bool HigherIsBetter { get; }
}
