using System;
using System.Diagnostics;
using System.Threading;

namespace RfmFast.Core.Threading;

/// <summary>A job of independent chunks that any thread may run, each exactly once.</summary>
abstract class ChunkedJob
{
    int _next;

    /// <summary>The number of chunks of the current run.</summary>
    public int Chunks { get; private set; }

    /// <summary>Runs chunk <paramref name="chunk"/>. Must not throw: it runs on a helper thread too.</summary>
    protected abstract void RunChunk(int chunk);

    internal void Reset(int chunks)
    {
        Chunks = chunks;
        _next = 0;
    }

    /// <summary>Claims and runs chunks until none is left.</summary>
    internal void Drain()
    {
        int k;
        while ((k = Interlocked.Increment(ref _next) - 1) < Chunks)
            RunChunk(k);
    }
}

/// <summary>
/// Shares the chunks of short, latency-bound jobs (a single-sample prediction: tens of microseconds) between the
/// calling thread and helper threads that spin for a while after each job, so that a burst of calls finds them
/// awake. The caller never waits for a helper to wake up: it posts the job, wakes the helpers if they sleep,
/// and starts claiming chunks itself; a helper that comes late finds fewer chunks or none. The caller only waits
/// for chunks a helper has claimed. (<see cref="WorkerPool"/> instead hands each worker a fixed share, right for
/// long jobs; here a sleeping worker's wake-up, tens of microseconds, would cost more than the job.)
/// </summary>
/// <remarks>
/// One job at a time: a caller that finds another job posted runs all of its own chunks itself. The handshake
/// that keeps a helper from touching a finished job: a helper counts itself in (<see cref="s_inside"/>) and then
/// checks that the job is still posted; the caller withdraws the job and then waits until no helper is inside.
/// Both steps are interlocked, so either the helper sees the job withdrawn or the caller sees the helper inside.
/// </remarks>
static class ChunkSharing
{
    const int Spinning = 0, Sleeping = 1, Woken = 2;

    /// <summary>How long a helper keeps watching for the next job after its last one, in microseconds, before
    /// it sleeps. While it watches it keeps one core busy.</summary>
    public const int SpinMicroseconds = 2000;

    static readonly int s_helpers = Math.Max(0, Environment.ProcessorCount - 1);
    static readonly SemaphoreSlim[] s_wake = new SemaphoreSlim[s_helpers];
    static readonly int[] s_state = new int[s_helpers];
    static ChunkedJob? s_job;
    static long s_generation;
    static int s_posting;
    static int s_inside;
    static int s_started;
    static readonly Lock s_startLock = new();

    /// <summary>The number of helper threads available (the processor count minus one).</summary>
    public static int Helpers => s_helpers;

    /// <summary>Runs every chunk of <paramref name="job"/> (reset to <paramref name="chunks"/> chunks) and
    /// returns when all have finished. With <paramref name="share"/> false, or no helper, or another job
    /// posted, the calling thread runs them all, in order.</summary>
    public static void Run(ChunkedJob job, int chunks, bool share)
    {
        job.Reset(chunks);
        if (!share || s_helpers == 0 || chunks < 2 || Interlocked.CompareExchange(ref s_posting, 1, 0) != 0)
        {
            job.Drain();
            return;
        }
        try
        {
            EnsureStarted();
            Interlocked.Increment(ref s_generation);
            Volatile.Write(ref s_job, job);
            for (int h = 0; h < s_helpers; h++)
            {
                if (Interlocked.Exchange(ref s_state[h], Woken) == Sleeping)
                    s_wake[h].Release();
            }
            job.Drain();
        }
        finally
        {
            Interlocked.Exchange(ref s_job, null);
            // Chunks claimed by a helper may still be running on the caller's memory.
            var spin = new SpinWait();
            while (Volatile.Read(ref s_inside) != 0)
                spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref s_posting, 0);
        }
    }

    static void EnsureStarted()
    {
        if (Volatile.Read(ref s_started) != 0)
            return;
        lock (s_startLock)
        {
            if (s_started != 0)
                return;
            for (int h = 0; h < s_helpers; h++)
            {
                s_wake[h] = new SemaphoreSlim(0);
                s_state[h] = Spinning;
                var t = new Thread(Loop, maxStackSize: 256 << 10) { IsBackground = true, Name = $"RfmFast chunk helper {h + 1}" };
                t.Start(h);
            }
            Volatile.Write(ref s_started, 1);
        }
    }

    static void Loop(object? state)
    {
        int h = (int)state!;
        long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        long lastWork = Stopwatch.GetTimestamp();
        long seen = 0;
        while (true)
        {
            // A job is new when its generation differs from the last one joined (the same job object is posted
            // again by the same caller for its next prediction).
            var job = Volatile.Read(ref s_job);
            long generation = Volatile.Read(ref s_generation);
            if (job is not null && generation != seen)
            {
                seen = generation;
                Interlocked.Increment(ref s_inside);
                if (Volatile.Read(ref s_job) == job)
                    job.Drain();
                Interlocked.Decrement(ref s_inside);
                lastWork = Stopwatch.GetTimestamp();
                continue;
            }
            if (Stopwatch.GetTimestamp() - lastWork < spinTicks)
            {
                Thread.SpinWait(8);
                continue;
            }
            // Sleep unless a caller marked us Woken in the meantime.
            if (Interlocked.CompareExchange(ref s_state[h], Sleeping, Spinning) == Spinning)
                s_wake[h].Wait();
            Volatile.Write(ref s_state[h], Spinning);
            lastWork = Stopwatch.GetTimestamp();
        }
    }
}
