namespace RfmFast.Tabular;

/// <summary>One seeded, stratified 80/20 train/test split of a set (<see cref="DataSplit.Stratified"/>), the same
/// rows for every side.</summary>
internal sealed class SplitData
{
    public required float[,] XTrain { get; init; }
    public required int[] LabelsTrain { get; init; }
    public required int[] ClassTrain { get; init; }
    public required float[,] XTest { get; init; }
    public required int[] LabelsTest { get; init; }
    public required int[] ClassTest { get; init; }
    public required int Classes { get; init; }

    public int TrainRows => XTrain.GetLength(0);

    /// <summary>Splits on the original labels with held-out fraction <paramref name="testFraction"/>.</summary>
    public static SplitData Make(float[,] x, int[] labels, int[] classIndex, int classes, double testFraction, int seed)
    {
        var (train, test) = DataSplit.Stratified(labels, testFraction, seed);
        return new SplitData
        {
            XTrain = DataSplit.Rows(x, train), LabelsTrain = DataSplit.Rows(labels, train), ClassTrain = DataSplit.Rows(classIndex, train),
            XTest = DataSplit.Rows(x, test), LabelsTest = DataSplit.Rows(labels, test), ClassTest = DataSplit.Rows(classIndex, test),
            Classes = classes,
        };
    }
}
