using System;
using System.IO;
using System.Linq;
using Xunit;
using static RfmFast.Tests.TestSupport;

namespace RfmFast.Tests;

/// <summary>Integer and string class labels: learned in order, predicted, scored, saved and loaded.</summary>
public sealed class LabelTests
{
    static readonly RfmOptions Quick = new() { Iterations = 1, ValidationFraction = 0 };

    [Fact]
    public void String_labels_are_classes_in_ordinal_order_and_come_back_from_a_saved_model()
    {
        var (x, ints) = Blobs([0, 1, 2], 20, 3, 0.3, 7);
        string[] names = ["setosa", "Versicolor", "virginica"];
        var labels = Array.ConvertAll(ints, k => names[k]);
        var model = new RfmClassifier(Quick).Fit(x, labels, cancellationToken: Ct);
        Assert.False(model.HasIntegerLabels);
        Assert.Equal(["Versicolor", "setosa", "virginica"], model.ClassNames);
        Assert.Throws<InvalidOperationException>(() => model.Classes);
        Assert.Throws<InvalidOperationException>(() => model.Predict(x));
        Assert.Equal(1.0, model.Score(x, labels));
        Assert.Equal(labels, model.PredictLabels(x));

        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var back = Assert.IsType<RfmClassifierModel>(RfmModel.Load(stream));
        Assert.Equal(model.ClassNames, back.ClassNames);
        Assert.Equal(labels, back.PredictLabels(x));
    }

    [Fact]
    public void Integer_labels_keep_numeric_order_and_have_names_too()
    {
        var (x, labels) = Blobs([10, -3, 2], 15, 2, 0.3, 8);
        var model = new RfmClassifier(Quick).Fit(x, labels, cancellationToken: Ct);
        Assert.True(model.HasIntegerLabels);
        Assert.Equal([-3, 2, 10], model.Classes);
        Assert.Equal(["-3", "2", "10"], model.ClassNames);
        Assert.Equal(model.Predict(x).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), model.PredictLabels(x));
    }

    [Fact]
    public void An_unknown_validation_label_is_named_with_its_row()
    {
        var (x, ints) = Blobs([0, 1], 10, 2, 0.3, 9);
        var labels = Array.ConvertAll(ints, k => k == 0 ? "a" : "b");
        var bad = (string[])labels.Clone();
        bad[3] = "c";
        var e = Assert.Throws<ArgumentException>(() => new RfmClassifier(Quick).Fit(x, labels, x, bad, cancellationToken: Ct));
        Assert.Equal("labelsValidation", e.ParamName);
        Assert.Contains("labelsValidation[3]: class 'c'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RfmClassifier(Quick).Fit(x, labels.Select(_ => "same").ToArray(), cancellationToken: Ct));
        var withNull = (string[])labels.Clone();
        withNull[0] = null!;
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new RfmClassifier(Quick).Fit(x, withNull, cancellationToken: Ct)).ParamName);
    }
}
