using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Threading;

namespace RfmFast;

/// <summary>
/// A hyper-parameter search: fits each candidate's options on the training rows, scores it on the caller's
/// validation rows by the fit's own best validation score (the score of <see cref="RfmModel.BestIteration"/>:
/// MSE for regression, lower is better; accuracy for classification, higher is better), and keeps the best
/// candidate's model. Candidates usually come from <see cref="RfmSearchSpace.Grid"/> or
/// <see cref="RfmSearchSpace.Sample"/>.
/// </summary>
/// <remarks>
/// <para>The candidates are fitted one after the other, in the order given; a strictly better score replaces the
/// best, so ties go to the earliest candidate (for a grid: the earliest in grid order, bandwidth-major).</para>
/// <para>A candidate whose fit fails (invalid options, or not even the plain kernel could be fitted:
/// <see cref="ArgumentException"/>, <see cref="InvalidOperationException"/> or a numerical breakdown) is recorded
/// with the message and never selected; the search goes on. A later iteration that could not be fitted only
/// ends that candidate's fit, which keeps its best earlier iteration (<see cref="RfmIteration.Failure"/>).</para>
/// <para>The data are checked once, before any fit. Only the best model is kept, so the memory is that of two
/// fits. Each fit runs with the candidate's own <see cref="RfmOptions.EarlyStopMultiplier"/>; set it to
/// <see cref="double.MaxValue"/> in the base options to score every iteration.</para>
/// </remarks>
public static class RfmSearch
{
    /// <summary>Searches regression settings: each candidate is fitted on (x, y) and scored by its best validation
    /// MSE on (xValidation, yValidation).</summary>
    /// <param name="candidates">The settings to try, in order (for example <see cref="RfmSearchSpace.Grid"/>).</param>
    /// <param name="x">Training features, n x d. Not modified.</param>
    /// <param name="y">Training targets, n values.</param>
    /// <param name="xValidation">Validation features, m x d.</param>
    /// <param name="yValidation">Validation targets, m values.</param>
    /// <param name="budget">Optional time budget: once the search has run this long it starts no new candidate (the
    /// first always runs; <see cref="RfmSearchResult{TModel}.StoppedByBudget"/> tells). Null: no limit.</param>
    /// <param name="progress">Optional report after each candidate.</param>
    /// <param name="cancellationToken">Cancels between candidates and between the phases of a fit.</param>
    /// <returns>Every candidate tried and the best one's model.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">No candidates or a null one; empty or non-finite data, or shapes that
    /// do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">No candidate tried could be fitted.</exception>
    /// <exception cref="OperationCanceledException">The search was cancelled.</exception>
    public static RfmSearchResult<RfmRegressionModel> Regression(IReadOnlyList<RfmOptions> candidates, float[,] x, float[] y,
        float[,] xValidation, float[] yValidation, TimeSpan? budget = null, IProgress<RfmSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckRegression(x, y, xValidation, yValidation);
        return Run(candidates, (o, ct) => new RfmRegressor(o).Fit(x, y, xValidation, yValidation, null, ct), m => TreeMse(m, m.Predict(xValidation), yValidation), false, budget, progress, cancellationToken);
    }

    /// <inheritdoc cref="Regression(IReadOnlyList{RfmOptions}, float[,], float[], float[,], float[], TimeSpan?, IProgress{RfmSearchProgress}, CancellationToken)"/>
    public static RfmSearchResult<RfmRegressionModel> Regression(IReadOnlyList<RfmOptions> candidates, double[,] x, double[] y,
        double[,] xValidation, double[] yValidation, TimeSpan? budget = null, IProgress<RfmSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckRegression(x, y, xValidation, yValidation);
        return Run(candidates, (o, ct) => new RfmRegressor(o).Fit(x, y, xValidation, yValidation, null, ct), m => TreeMse(m, m.Predict(xValidation), yValidation), false, budget, progress, cancellationToken);
    }

    /// <summary>Searches classification settings: each candidate is fitted on (x, labels) and scored by its best
    /// validation accuracy on (xValidation, labelsValidation).</summary>
    /// <param name="candidates">The settings to try, in order (for example <see cref="RfmSearchSpace.Grid"/>).</param>
    /// <param name="x">Training features, n x d. Not modified.</param>
    /// <param name="labels">n labels, at least two distinct values.</param>
    /// <param name="xValidation">Validation features, m x d.</param>
    /// <param name="labelsValidation">m validation labels, each among the training labels.</param>
    /// <param name="budget">Optional time budget: once the search has run this long it starts no new candidate (the
    /// first always runs; <see cref="RfmSearchResult{TModel}.StoppedByBudget"/> tells). Null: no limit.</param>
    /// <param name="progress">Optional report after each candidate.</param>
    /// <param name="cancellationToken">Cancels between candidates and between the phases of a fit.</param>
    /// <returns>Every candidate tried and the best one's model.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">No candidates or a null one; empty or non-finite data, a single class,
    /// unknown validation labels, or shapes that do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">No candidate tried could be fitted.</exception>
    /// <exception cref="OperationCanceledException">The search was cancelled.</exception>
    public static RfmSearchResult<RfmClassifierModel> Classification(IReadOnlyList<RfmOptions> candidates, float[,] x, int[] labels,
        float[,] xValidation, int[] labelsValidation, TimeSpan? budget = null, IProgress<RfmSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckClassification(x, labels, xValidation, labelsValidation);
        return Run(candidates, (o, ct) => new RfmClassifier(o).Fit(x, labels, xValidation, labelsValidation, null, ct), m => TreeAccuracy(labelsValidation, m.PredictLabels(xValidation)), true, budget, progress, cancellationToken);
    }

    /// <inheritdoc cref="Classification(IReadOnlyList{RfmOptions}, float[,], int[], float[,], int[], TimeSpan?, IProgress{RfmSearchProgress}, CancellationToken)"/>
    public static RfmSearchResult<RfmClassifierModel> Classification(IReadOnlyList<RfmOptions> candidates, float[,] x, string[] labels,
        float[,] xValidation, string[] labelsValidation, TimeSpan? budget = null, IProgress<RfmSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckClassification(x, labels, xValidation, labelsValidation);
        return Run(candidates, (o, ct) => new RfmClassifier(o).Fit(x, labels, xValidation, labelsValidation, null, ct), m => TreeAccuracy(labelsValidation, m.PredictLabels(xValidation)), true, budget, progress, cancellationToken);
    }

    /// <inheritdoc cref="Classification(IReadOnlyList{RfmOptions}, float[,], int[], float[,], int[], TimeSpan?, IProgress{RfmSearchProgress}, CancellationToken)"/>
    public static RfmSearchResult<RfmClassifierModel> Classification(IReadOnlyList<RfmOptions> candidates, double[,] x, int[] labels,
        double[,] xValidation, int[] labelsValidation, TimeSpan? budget = null, IProgress<RfmSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckClassification(x, labels, xValidation, labelsValidation);
        return Run(candidates, (o, ct) => new RfmClassifier(o).Fit(x, labels, xValidation, labelsValidation, null, ct), m => TreeAccuracy(labelsValidation, m.PredictLabels(xValidation)), true, budget, progress, cancellationToken);
    }

    /// <inheritdoc cref="Classification(IReadOnlyList{RfmOptions}, float[,], int[], float[,], int[], TimeSpan?, IProgress{RfmSearchProgress}, CancellationToken)"/>
    public static RfmSearchResult<RfmClassifierModel> Classification(IReadOnlyList<RfmOptions> candidates, double[,] x, string[] labels,
        double[,] xValidation, string[] labelsValidation, TimeSpan? budget = null, IProgress<RfmSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckClassification(x, labels, xValidation, labelsValidation);
        return Run(candidates, (o, ct) => new RfmClassifier(o).Fit(x, labels, xValidation, labelsValidation, null, ct), m => TreeAccuracy(labelsValidation, m.PredictLabels(xValidation)), true, budget, progress, cancellationToken);
    }

    /// <summary>The search loop shared by every entry point.</summary>
    static RfmSearchResult<TModel> Run<TModel>(IReadOnlyList<RfmOptions> candidates, Func<RfmOptions, CancellationToken, TModel> fit,
        Func<TModel, double> treeScore, bool higherIsBetter, TimeSpan? budget, IProgress<RfmSearchProgress>? progress, CancellationToken ct)
        where TModel : RfmModel
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
            throw new ArgumentException("There are no candidates to try.", nameof(candidates));
        for (int i = 0; i < candidates.Count; i++)
            if (candidates[i] is null)
                throw new ArgumentException($"candidates[{i}] is null.", nameof(candidates));
        if (budget < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "The time budget must not be negative.");

        var clock = Stopwatch.StartNew();
        var tried = new List<RfmSearchCandidate>(candidates.Count);
        TModel? bestModel = null;
        int bestIndex = -1;
        double bestScore = double.NaN;
        bool stopped = false;
        for (int i = 0; i < candidates.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (i > 0 && budget is { } limit && clock.Elapsed >= limit)
            {
                stopped = true;
                break;
            }
            var options = candidates[i];
            long start = Stopwatch.GetTimestamp();
            RfmSearchCandidate candidate;
            try
            {
                var model = fit(options, ct);
                // A tree's leaves each chose their iteration on their own rows: it is scored on the validation rows.
                double score = model.IsTree ? treeScore(model) : ScoreOf(model);
                candidate = new RfmSearchCandidate(i, options, model.History, model.BestIteration, score,
                    Stopwatch.GetElapsedTime(start).TotalSeconds, null);
                if (!double.IsNaN(score) && (bestIndex < 0 || (higherIsBetter ? score > bestScore : score < bestScore)))
                {
                    bestModel = model;
                    bestIndex = i;
                    bestScore = score;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // A numerical breakdown of iteration 0 reaches the caller as one of the last two.
                candidate = new RfmSearchCandidate(i, options, [], -1, double.NaN, Stopwatch.GetElapsedTime(start).TotalSeconds, e.Message);
            }
            tried.Add(candidate);
            progress?.Report(new RfmSearchProgress(candidate, candidates.Count, bestIndex, bestScore, clock.Elapsed));
        }
        if (bestModel is null)
        {
            var first = tried.Find(c => c.Failure is not null);
            throw new InvalidOperationException($"None of the {tried.Count} candidate(s) tried could be fitted" +
                (first is null ? " with a finite validation score." : $"; candidate {first.Index}: {first.Failure}"));
        }
        return new RfmSearchResult<TModel>(tried, candidates.Count, stopped, bestIndex, bestModel, higherIsBetter);
    }

    /// <summary>A tree regressor's validation MSE in the fitted target (standardised when the model standardises it), as
    /// a single RFM's history reports it.</summary>
    static double TreeMse<T>(RfmRegressionModel model, T[] predicted, T[] truth) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        double scale = model.TargetScales.Count > 0 ? model.TargetScales[0] : 1, sum = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            double e = (double.CreateTruncating(predicted[i]) - double.CreateTruncating(truth[i])) / scale;
            sum += e * e;
        }
        return sum / truth.Length;
    }

    /// <summary>A tree classifier's validation accuracy, labels compared by name (integer labels in invariant culture,
    /// as <see cref="RfmClassifierModel.ClassNames"/> has them).</summary>
    static double TreeAccuracy<TLabel>(TLabel[] truth, string[] predicted) where TLabel : notnull =>
        Metrics.Accuracy(Array.ConvertAll(truth, l => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{l}")), predicted);

    /// <summary>The validation score of the iteration the fit kept.</summary>
    static double ScoreOf(RfmModel model)
    {
        foreach (var h in model.History)
            if (h.Iteration == model.BestIteration && h.Failure is null)
                return h.ValidationScore;
        return double.NaN;
    }

    static void CheckRegression<T>(T[,] x, T[] y, T[,] xValidation, T[] yValidation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(yValidation);
        CheckRows(x, y.Length, nameof(y), xValidation, yValidation.Length, nameof(yValidation));
        CheckFinite(y, nameof(y));
        CheckFinite(yValidation, nameof(yValidation));
    }

    static void CheckClassification<T, TLabel>(T[,] x, TLabel[] labels, T[,] xValidation, TLabel[] labelsValidation)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(labelsValidation);
        CheckRows(x, labels.Length, nameof(labels), xValidation, labelsValidation.Length, nameof(labelsValidation));
        var (classes, _) = ClassLabels.Learn(labels, nameof(labels));
        _ = classes.Codes(labelsValidation, nameof(labelsValidation));
    }

    /// <summary>The checks every fit would repeat: non-empty finite rows, and shapes that agree.</summary>
    static void CheckRows<T>(T[,] x, int targets, string targetName, T[,] xValidation, int validationTargets, string validationName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(xValidation);
        _ = DenseData<T>.From(x, nameof(x));
        _ = DenseData<T>.From(xValidation, nameof(xValidation));
        if (targets != x.GetLength(0))
            throw new ArgumentException($"There are {targets} targets for {x.GetLength(0)} rows.", targetName);
        if (xValidation.GetLength(1) != x.GetLength(1))
            throw new ArgumentException($"The validation data has {xValidation.GetLength(1)} features; the training data has {x.GetLength(1)}.", nameof(xValidation));
        if (validationTargets != xValidation.GetLength(0))
            throw new ArgumentException($"There are {validationTargets} validation targets for {xValidation.GetLength(0)} rows.", validationName);
    }

    static void CheckFinite<T>(T[] v, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < v.Length; i++)
            if (!T.IsFinite(v[i]))
                throw new ArgumentException($"{name}[{i}] is {v[i]}; the targets must be finite.", name);
    }
}
