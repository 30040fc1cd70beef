using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace RfmFast.Cli.Plots;

/// <summary>
/// Feature names as tick labels on a bar chart's or heatmap's axis. ScottPlot neither shortens nor makes room for
/// rotated labels, so the labels are measured here: horizontal when they fit between the ticks, else turned
/// 45 degrees (or 90 when the ticks are too close for a slanted line of text), with the axis made deep enough.
/// </summary>
static class CategoryLabels
{
    /// <summary>Longer names are cut so one long column name cannot squeeze the plot away.</summary>
    public const int MaxChars = 30;

    /// <summary>Cuts the middle out of a long name: columns of one data set often share a long prefix
    /// (sensor_left_..., sensor_right_...) and differ at the end, so both ends are kept.</summary>
    public static string Shorten(string name)
    {
        if (name.Length <= MaxChars)
            return name;
        int tail = (MaxChars - 1) / 2, head = MaxChars - 1 - tail;
        return string.Concat(name.AsSpan(0, head), "\u2026", name.AsSpan(name.Length - tail));
    }

    /// <summary>Puts <paramref name="labels"/> at <paramref name="positions"/> on the bottom axis;
    /// <paramref name="pixelsPerTick"/> is the approximate distance between neighbouring ticks on the rendered image.</summary>
    public static void Bottom(Plot plot, IReadOnlyList<double> positions, IReadOnlyList<string> labels, double pixelsPerTick, float fontSize)
    {
        var axis = plot.Axes.Bottom;
        axis.TickGenerator = Ticks(positions, labels);
        axis.TickLabelStyle.FontSize = fontSize;
        var (width, height) = Measure(labels, fontSize);
        if (width + 8 <= pixelsPerTick)
            return;
        // A slanted label's neighbour is pixelsPerTick * sin 45 away across the text: below about 1.3 line heights
        // the lines run into each other, so they stand upright instead.
        bool upright = pixelsPerTick * Math.Sqrt(0.5) < 1.3 * height;
        axis.TickLabelStyle.Rotation = upright ? -90 : -45;
        axis.TickLabelStyle.Alignment = Alignment.MiddleRight;
        double depth = upright ? width : (width + height) * Math.Sqrt(0.5);
        // ScottPlot sizes the axis for horizontal labels only: room for the turned labels, the tick marks and the
        // axis title below them.
        axis.MinimumSize = (float)depth + 12 + (axis.Label.Text.Length > 0 ? 2 * height + 6 : 0);
        if (!upright)
        {
            // A slanted first label reaches left of its tick by its whole width: keep it inside the image.
            var left = plot.Axes.Left;
            left.MinimumSize = Math.Max(left.MinimumSize, (float)(depth - pixelsPerTick / 2));
        }
    }

    /// <summary>Puts <paramref name="labels"/> at <paramref name="positions"/> on the left axis (always horizontal).</summary>
    public static void Left(Plot plot, IReadOnlyList<double> positions, IReadOnlyList<string> labels, float fontSize)
    {
        var axis = plot.Axes.Left;
        axis.TickGenerator = Ticks(positions, labels);
        axis.TickLabelStyle.FontSize = fontSize;
        axis.MinimumSize = Math.Max(axis.MinimumSize, Measure(labels, fontSize).Width + 16);
    }

    static ScottPlot.TickGenerators.NumericManual Ticks(IReadOnlyList<double> positions, IReadOnlyList<string> labels) =>
        new([.. positions.Select((p, i) => new Tick(p, Shorten(labels[i])))]);

    /// <summary>The widest shortened label and the line height, in pixels, in the font the plot draws with.</summary>
    static (float Width, float Height) Measure(IReadOnlyList<string> labels, float fontSize)
    {
        using var paint = Paint.NewDisposablePaint();
        float width = 0, height = fontSize;
        foreach (string l in labels)
        {
            var style = new LabelStyle { Text = Shorten(l), FontSize = fontSize };
            if (PlotFont.Family is { } family)
                style.FontName = family;
            var size = style.Measure(paint);
            width = Math.Max(width, size.Width);
            height = Math.Max(height, size.Height);
        }
        return (width, height);
    }
}
