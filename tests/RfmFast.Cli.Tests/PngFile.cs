using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using SkiaSharp;
using Xunit;

namespace RfmFast.Cli.Tests;

/// <summary>What the plot tests check in a PNG: the header by hand (signature, IHDR size), the pixels through
/// SkiaSharp (already shipped with the tool for rendering).</summary>
sealed class PngFile
{
    static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    readonly SKColor[] _pixels;

    public PngFile(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        Assert.True(b.Length > 33 && b.AsSpan(0, 8).SequenceEqual(Signature), $"{path}: no PNG signature");
        Assert.Equal("IHDR", Encoding.ASCII.GetString(b, 12, 4));
        Width = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(16));
        Height = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(20));
        using var bitmap = SKBitmap.Decode(b);
        Assert.NotNull(bitmap);
        Assert.Equal((Width, Height), (bitmap.Width, bitmap.Height));
        _pixels = bitmap.Pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>How many pixels in rows [top, bottom) are dark, as text is (every channel below 100).</summary>
    public int DarkPixels(int top, int bottom)
    {
        int c = 0;
        for (int i = top * Width; i < bottom * Width; i++)
            if (_pixels[i] is { Red: < 100, Green: < 100, Blue: < 100 })
                c++;
        return c;
    }

    /// <summary>How many pixels are within 8 per channel of <paramref name="colour"/>.</summary>
    public int Near(SKColor colour)
    {
        int c = 0;
        foreach (var p in _pixels)
            if (Math.Abs(p.Red - colour.Red) <= 8 && Math.Abs(p.Green - colour.Green) <= 8 && Math.Abs(p.Blue - colour.Blue) <= 8)
                c++;
        return c;
    }

    /// <summary>How many distinct colours the picture has (a blank one has one).</summary>
    public int DistinctColours()
    {
        var seen = new System.Collections.Generic.HashSet<uint>();
        foreach (var p in _pixels)
            seen.Add((uint)p);
        return seen.Count;
    }
}
