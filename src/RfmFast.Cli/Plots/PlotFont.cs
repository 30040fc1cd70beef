using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RfmFast.Cli.Plots;

/// <summary>
/// The font the pictures' text is drawn with. ScottPlot draws through SkiaSharp's NoDependencies native asset, which has
/// no fontconfig: its only font source is a scan of /usr/share/fonts, and a bare Debian image has no fonts at all, so
/// without a font file every title and label would silently come out blank. DejaVu Sans (Debian: fonts-dejavu-core) is
/// registered by file when present; else any TrueType/OpenType file under /usr/share/fonts; else the caller warns.
/// </summary>
static class PlotFont
{
    public const string Name = "DejaVu Sans";

    /// <summary>Where Debian, Fedora and Arch put DejaVu Sans.</summary>
    public static readonly string[] Preferred =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ];

    public const string SystemFontDir = "/usr/share/fonts";

    static readonly Lazy<string?> Registered = new(() => Register(Find(Preferred, SystemFontDir)));

    /// <summary>The registered font's family name for ScottPlot, or null when no font file exists (text will be blank).
    /// Registered once per process: ScottPlot keeps a global font list.</summary>
    public static string? Family => Registered.Value;

    /// <summary>The first existing file of <paramref name="preferred"/>, else the first .ttf/.otf under
    /// <paramref name="fallbackDir"/> in ordinal order (so the choice is the same on every run), else null.</summary>
    public static string? Find(IEnumerable<string> preferred, string fallbackDir)
    {
        string? file = preferred.FirstOrDefault(File.Exists);
        if (file is not null || !Directory.Exists(fallbackDir))
            return file;
        try
        {
            return Directory.EnumerateFiles(fallbackDir, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".otf", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // An unreadable font folder is the same as none: the caller warns.
        }
    }

    static string? Register(string? file)
    {
        if (file is null)
            return null;
        ScottPlot.Fonts.AddFontFile(Name, file);
        return Name;
    }
}
