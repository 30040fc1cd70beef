using System;
using System.Collections.Generic;

namespace RfmFast.Cli;

/// <summary>What the uci and pmlb protocols share around <see cref="RfmSearch"/>: a candidate's validation score
/// per iteration, its failure line, the selection rule over (setting, iteration), and a progress sink that
/// reports on the calling thread.</summary>
static class SearchTuning
{
    /// <summary>The validation score of iterations 0..<paramref name="iterations"/> of a candidate, NaN for an
    /// iteration that could not be fitted or was not run (and for all of a failed candidate).</summary>
    public static double[] Scores(RfmSearchCandidate candidate, int iterations)
    {
        var scores = new double[iterations + 1];
        Array.Fill(scores, double.NaN);
        foreach (var h in candidate.History)
            if (h.Failure is null && h.Iteration <= iterations)
                scores[h.Iteration] = h.ValidationScore;
        return scores;
    }

    /// <summary>"iteration k failed (why)" for a fit whose iteration k could not be fitted, "the fit failed (why)"
    /// for a candidate that could not be fitted at all, else null.</summary>
    public static string? FailureOf(RfmSearchCandidate candidate)
    {
        if (candidate.Failure is not null)
            return $"the fit failed ({candidate.Failure})";
        foreach (var h in candidate.History)
            if (h.Failure is not null)
                return $"iteration {h.Iteration} failed ({h.Failure})";
        return null;
    }

    /// <summary>The selection rule: scan the settings in order and iterations 0..<paramref name="maxIteration"/>
    /// within each; a strictly better score replaces the best, so ties go to the earliest (setting, iteration),
    /// and NaN (or an infinite score) never wins. <paramref name="maxIteration"/> 0 gives the plain kernel's choice.</summary>
    /// <exception cref="InvalidOperationException">No score is a number.</exception>
    public static (int Config, int Iteration) Select(IReadOnlyList<double[]> scores, int maxIteration, bool higherIsBetter)
    {
        int bestConfig = -1, bestIter = -1;
        double best = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
        for (int c = 0; c < scores.Count; c++)
        {
            for (int t = 0; t <= Math.Min(maxIteration, scores[c].Length - 1); t++)
            {
                double v = scores[c][t];
                if (higherIsBetter ? v > best : v < best)
                    (best, bestConfig, bestIter) = (v, c, t);
            }
        }
        if (bestConfig < 0)
            throw new InvalidOperationException("no setting of the grid could be fitted");
        return (bestConfig, bestIter);
    }

    /// <summary>An <see cref="IProgress{T}"/> that calls <paramref name="report"/> at once, on the reporting thread
    /// (<see cref="Progress{T}"/> would post to the thread pool, out of order with the tool's other output).</summary>
    public sealed class Sink<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
