using System;

namespace RfmFast.Persistence;

/// <summary>The options a leaf fit depends on, in a tree job's files: everything of <see cref="RfmOptions"/> but the
/// preprocessing (a shard's rows are already preprocessed) and the worker count (the machine running the job
/// decides).</summary>
internal static class OptionsCodec
{
    public static void Write(FormatWriter w, RfmOptions o)
    {
        w.U8((byte)o.Kernel);
        w.F64(o.Bandwidth);
        w.U8(o.AdaptiveBandwidth ? (byte)1 : (byte)0);
        w.F64(o.Exponent);
        w.F64(o.Reg);
        w.I32(o.Iterations);
        w.U8((byte)((o.DiagonalMetric ? 1 : 0) | (o.CenterGradients ? 2 : 0)));
        w.I32(o.AgopSampleSize);
        w.U8((byte)o.Normalization);
        w.U8((byte)o.SolvePrecision);
        w.U8((byte)o.Precision);
        w.F64(o.ValidationFraction);
        w.F64(o.EarlyStopMultiplier);
        w.I32(o.Seed);
        var t = o.Tree;
        w.U8((byte)t.Mode);
        w.I32(t.MaxLeafSize);
        w.U8((byte)t.SplitRule);
        w.I32(t.SplitSampleSize);
        w.I32(t.SplitIterations);
        w.U8((byte)t.Routing);
        w.F64(t.Temperature);
        int m = o.Metric?.GetLength(0) ?? 0;
        w.I32(m);
        if (o.Metric is { } metric)
            foreach (double v in metric)
                w.F64(v);
    }

    /// <summary>Options as written, validated; a given metric must be <paramref name="d"/> wide when d is known.</summary>
    public static RfmOptions Read(FormatReader r, int? d)
    {
        var o = new RfmOptions
        {
            Kernel = (RfmKernel)r.U8(),
            Bandwidth = r.F64(),
            AdaptiveBandwidth = r.U8() == 1,
            Exponent = r.F64(),
            Reg = r.F64(),
            Iterations = r.I32(),
        };
        byte flags = r.U8();
        o = o with
        {
            DiagonalMetric = (flags & 1) != 0,
            CenterGradients = (flags & 2) != 0,
            AgopSampleSize = r.I32(),
            Normalization = (MetricNormalization)r.U8(),
            SolvePrecision = (RfmSolvePrecision)r.U8(),
            Precision = (FitPrecision)r.U8(),
            ValidationFraction = r.F64(),
            EarlyStopMultiplier = r.F64(),
            Seed = r.I32(),
            Tree = new TreeOptions
            {
                Mode = (TreeMode)r.U8(),
                MaxLeafSize = r.I32(),
                SplitRule = (SplitRule)r.U8(),
                SplitSampleSize = r.I32(),
                SplitIterations = r.I32(),
                Routing = (TreeRouting)r.U8(),
                Temperature = r.F64(),
            },
        };
        int m = r.I32();
        if (m < 0 || (d is int width && m != 0 && m != width) || (long)m * m * 8 > r.Remaining)
            throw new RfmModelFormatException($"The options' given metric is {m} wide; it does not fit the data or the bytes left.");
        if (m > 0)
        {
            var metric = new double[m, m];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                    metric[i, j] = r.F64();
            o = o with { Metric = metric };
        }
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            throw new RfmModelFormatException($"Invalid options: {e.Message}", e);
        }
        if (flags > 3)
            throw new RfmModelFormatException($"Unknown option flags {flags}.");
        return o;
    }
}
