using System.Collections.Generic;

namespace RfmFast;

/// <summary>One candidate of a hyper-parameter search (<see cref="RfmSearch"/>) and how its fit went.</summary>
/// <param name="Index">Its position in the candidate list.</param>
/// <param name="Options">The settings it was fitted with.</param>
/// <param name="History">Every iteration of its fit (<see cref="RfmModel.History"/>): the validation score of
/// each, an iteration that could not be fitted marked by its <see cref="RfmIteration.Failure"/>. Empty when the
/// fit failed.</param>
/// <param name="BestIteration">The iteration its fit kept (<see cref="RfmModel.BestIteration"/>); -1 when the fit
/// failed.</param>
/// <param name="Score">The validation score of <paramref name="BestIteration"/>: MSE for regression (in the fitted
/// target, standardised if <see cref="Preprocessing.StandardizeTarget"/> is set), accuracy for classification.
/// NaN when the fit failed.</param>
/// <param name="Seconds">The fit's wall time.</param>
/// <param name="Failure">Null, or why the fit failed (the exception's message); a failed candidate is never
/// selected.</param>
public sealed record RfmSearchCandidate(int Index, RfmOptions Options, IReadOnlyList<RfmIteration> History, int BestIteration,
    double Score, double Seconds, string? Failure);
