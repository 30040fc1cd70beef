using System;

namespace RfmFast;

/// <summary>A progress report of a hyper-parameter search (<see cref="RfmSearch"/>), sent after each candidate.</summary>
/// <param name="Candidate">The candidate just fitted (or failed).</param>
/// <param name="CandidateCount">The number of candidates in the search.</param>
/// <param name="BestIndex">The index of the best candidate so far, or -1 while none could be fitted.</param>
/// <param name="BestScore">Its score, or NaN while none could be fitted.</param>
/// <param name="Elapsed">Time since the search started.</param>
public readonly record struct RfmSearchProgress(RfmSearchCandidate Candidate, int CandidateCount, int BestIndex, double BestScore, TimeSpan Elapsed);
