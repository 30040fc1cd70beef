using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>Large pooled blocks are 2 MB aligned and, where Linux offers transparent huge pages on request,
/// actually backed by them (read back from /proc/self/smaps).</summary>
[Collection(nameof(PoolRunsAlone))]
public sealed unsafe class HugePageTests(ITestOutputHelper output)
{
    [Fact]
    public void Large_blocks_are_huge_page_aligned_and_small_ones_are_not_padded()
    {
        AlignedBlockPool.Trim();
        using var large = PooledBuffer<float>.Rent((int)(TransparentHugePages.MinBytes / sizeof(float)));
        Assert.Equal(0L, (long)large.Pointer % TransparentHugePages.PageBytes);
        large.Span.Fill(3f);
        Assert.Equal(3f, large.Span[^1]);
        using var small = PooledBuffer<float>.Rent(1000);
        Assert.Equal(0L, (long)small.Pointer % 64);
    }

    [Fact]
    public void Large_blocks_get_huge_pages_where_the_kernel_gives_them_on_request()
    {
        string mode = File.Exists("/sys/kernel/mm/transparent_hugepage/enabled")
            ? File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled") : "";
        bool offered = mode.Contains("[madvise]", StringComparison.Ordinal) || mode.Contains("[always]", StringComparison.Ordinal);
        // Under qemu-user the process's own mappings are the emulator's, not the guest's: only check natively.
        bool native = RuntimeInformation.ProcessArchitecture == RuntimeInformation.OSArchitecture
            && RuntimeInformation.ProcessArchitecture == Architecture.X64;
        output.WriteLine($"THP mode: {mode.Trim()}; hint enabled: {TransparentHugePages.Enabled}; native x64: {native}");
        if (!OperatingSystem.IsLinux() || !offered || !native || Environment.GetEnvironmentVariable("RFMFAST_HUGE_PAGES") == "0")
            return; // nothing to check here (or switched off); the alignment test above still runs
        Assert.True(TransparentHugePages.Enabled, "madvise was not found in the C library");
        AlignedBlockPool.Trim();
        using var block = PooledBuffer<float>.Rent(16 << 20 >> 2); // 16 MB
        block.Span.Fill(1f); // fault the pages in
        long kb = AnonHugePagesKb((long)block.Pointer);
        output.WriteLine($"AnonHugePages of the 16 MB block's mapping: {kb} kB");
        Assert.True(kb >= 2048, $"the block's mapping has {kb} kB of huge pages");
    }

    /// <summary>AnonHugePages of the /proc/self/smaps mapping that contains <paramref name="address"/>.</summary>
    static long AnonHugePagesKb(long address)
    {
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long start)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long end))
            {
                inside = address >= start && address < end;
                continue;
            }
            if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(14).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
