using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>A perfect validation score ends the RFM loop (no later iteration can beat it; ties keep the earliest),
/// unless early stopping is turned off.</summary>
public sealed class PerfectScoreTests
{
    [Fact]
    public void A_perfect_validation_accuracy_ends_the_loop_unless_early_stopping_is_off()
    {
        var (x, labels) = Blobs([0, 1], 40, 3, 0.2, 21);
        var (xv, labelsV) = Blobs([0, 1], 20, 3, 0.2, 22);
        var stopped = new RfmClassifier(new RfmOptions { Iterations = 4 }).Fit(x, labels, xv, labelsV, cancellationToken: Ct);
        Assert.Equal(1.0, stopped.History[0].ValidationScore);
        Assert.Single(stopped.History);
        Assert.Equal(0, stopped.BestIteration);
        var all = new RfmClassifier(new RfmOptions { Iterations = 4, EarlyStopMultiplier = double.MaxValue }).Fit(x, labels, xv, labelsV, cancellationToken: Ct);
        Assert.Equal(5, all.History.Count);
        Assert.Equal(0, all.BestIteration);
        Assert.Equal(stopped.PredictProba(xv), all.PredictProba(xv));
    }
}
