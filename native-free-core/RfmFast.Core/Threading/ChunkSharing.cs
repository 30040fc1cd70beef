using System.Diagnostics;

namespace RfmFast.Core.Threading;

/// <summary>
/// Shares the chunks of a latency-bound job between the calling thread and the pool's helpers. The caller never
/// waits for a helper to wake up: it posts the job and starts on its own chunks; a helper that comes late finds
/// fewer chunks or none, and the caller waits only for chunks a helper has claimed. Each thread streams the same
/// contiguous part of a prediction's centers on every call (see <see cref="PoolJob"/>).
/// </summary>
static class ChunkSharing
{
    /// <summary>How long a helper keeps watching for the next job after a shared one, in microseconds, before it
    /// sleeps. While it watches it keeps one core busy.</summary>
    public const int SpinMicroseconds = 2000;

    internal static readonly long SpinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    /// <summary>The number of helper threads (the processor count minus one).</summary>
    public static int Helpers => CorePool.Threads - 1;

    /// <summary>Runs every chunk of <paramref name="job"/> (reset to <paramref name="chunks"/> chunks) on at most
    /// <paramref name="workers"/> threads, the caller included, and returns when all have finished. With one worker,
    /// or the pool busy with another job, the calling thread runs them all, in order.</summary>
    public static void Run(ChunkedJob job, int chunks, int workers) => CorePool.Run(job, chunks, workers);
}
