using System;
using System.Runtime.InteropServices;

namespace RfmFast.Core;

/// <summary>
/// Asks Linux to back a large block with transparent huge pages (madvise MADV_HUGEPAGE), the hint numpy gives
/// its own large arrays: the first pass over a fresh kernel matrix then takes one fault per 2 MB instead of one per
/// 4 KB, about half the time (see bench/results/notes/core-measurements.md). Where the THP mode is "madvise", without the
/// hint no huge pages are used.
/// </summary>
/// <remarks>
/// Only a hint to the kernel, never a native library: madvise is looked up in the C library once (libc.so.6,
/// else libc); elsewhere, or with RFMFAST_HUGE_PAGES=0, or if the lookup fails, it does nothing.
/// </remarks>
static unsafe class TransparentHugePages
{
    /// <summary>The huge page size on x64 and arm64 Linux; large blocks are aligned to it.</summary>
    public const long PageBytes = 2 << 20;

    /// <summary>Blocks of at least this size get the hint.</summary>
    public const long MinBytes = 4 << 20;

    const int MadvHugePage = 14;

    static readonly delegate* unmanaged<void*, nuint, int, int> s_madvise = Resolve();

    /// <summary>Whether the hint is given (Linux, madvise found, not switched off).</summary>
    public static bool Enabled => s_madvise != null;

    /// <summary>Marks [block, block + bytes) for huge pages; the block must be page-aligned. Failures are ignored
    /// (the memory works either way).</summary>
    public static void Advise(void* block, long bytes)
    {
        if (s_madvise != null && bytes >= MinBytes)
            _ = s_madvise(block, (nuint)bytes, MadvHugePage);
    }

    static delegate* unmanaged<void*, nuint, int, int> Resolve()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("RFMFAST_HUGE_PAGES") == "0")
            return null;
        foreach (string name in (string[])["libc.so.6", "libc"])
        {
            if (NativeLibrary.TryLoad(name, out IntPtr lib) && NativeLibrary.TryGetExport(lib, "madvise", out IntPtr f))
                return (delegate* unmanaged<void*, nuint, int, int>)f;
        }
        return null;
    }
}
