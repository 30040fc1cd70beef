using System;
using System.Diagnostics;
using System.Threading;

namespace RfmFast.Core.Threading;

/// <summary>
/// The core's one set of helper threads (the processor count minus one, started on first use) and its one
/// hand-shake, shared by both kinds of <see cref="PoolJob"/>. Running a job allocates nothing.
/// </summary>
/// <remarks>
/// <para>The caller posts the job, wakes the helpers it may use and starts on its own units at once (unit 0
/// first); it never waits for a helper to wake up, since units a helper has not claimed it claims itself. When no
/// unit is left it withdraws the job and waits only for the units helpers are still running. The hand-shake that
/// keeps a helper from touching a finished job: a helper counts itself in (<see cref="s_inside"/>) before it looks
/// at the posted job; the caller withdraws the job before it waits for the count to reach 0. Both steps are
/// interlocked, so either the helper sees the job withdrawn or the caller sees the helper inside.</para>
/// <para>Waking: the caller marks a helper Woken and releases its semaphore only if the helper had marked itself
/// Sleeping; a helper only sleeps if it could move its own state from Spinning to Sleeping, and checks for a new
/// job after every change of its state. Waiting: the caller spins briefly, then announces that it sleeps; the
/// helper that brings the count to 0 and takes the announcement back releases it (never a lost or extra release).</para>
/// <para>One job at a time: a caller that finds the pool busy (another thread, or a unit that calls back into the
/// core) runs every unit of its job itself, in order: slower, never a deadlock. A unit's exception is rethrown on
/// the caller's thread after every unit has run.</para>
/// </remarks>
static class CorePool
{
    const int Spinning = 0, Sleeping = 1, Woken = 2;

    // How long the caller spins for the helpers' last units before it sleeps (SpinWait iterations).
    const int DoneSpins = 2000;

    static readonly int s_threads = Math.Max(1, Environment.ProcessorCount);
    static readonly SemaphoreSlim[] s_wake = new SemaphoreSlim[s_threads];
    static readonly int[] s_state = new int[s_threads];
    // Not a ManualResetEventSlim: its first blocking wait allocates the lock object it sleeps on, so a caller could
    // be charged 24 bytes at any time, e.g. in the middle of a zero-allocation prediction on a loaded machine.
    static readonly SemaphoreSlim s_done = new(0);
    static PoolJob? s_job;
    static long s_generation;
    static int s_busy;
    static int s_inside;
    static int s_callerSleeping;
    static int s_started;
    static readonly Lock s_startLock = new();

    /// <summary>The threads a job can use: the calling thread and the helpers (the processor count).</summary>
    public static int Threads => s_threads;

    /// <summary>Runs every unit of <paramref name="job"/> (reset to <paramref name="units"/> units) on at most
    /// <paramref name="workers"/> threads, the calling thread included, and returns when all have finished. With one
    /// worker, one unit, or the pool busy, the calling thread runs them all, in order.</summary>
    /// <exception cref="Exception">Whatever a unit threw (the first error), rethrown after every unit has run.</exception>
    public static void Run(PoolJob job, int units, int workers)
    {
        int participants = Math.Clamp(Math.Min(workers, units), 1, s_threads);
        if (participants == 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            job.Reset(units, 1);
            job.Drain(0);
            job.ThrowIfFailed();
            return;
        }
        try
        {
            EnsureStarted();
            job.Reset(units, participants);
            Volatile.Write(ref s_job, job);
            Interlocked.Increment(ref s_generation);
            for (int h = 1; h < participants; h++)
            {
                if (Interlocked.Exchange(ref s_state[h], Woken) == Sleeping)
                    s_wake[h].Release();
            }
            job.Drain(0);
        }
        finally
        {
            Interlocked.Exchange(ref s_job, null);
            // Units claimed by a helper may still be running on the caller's memory.
            WaitForHelpers();
            Volatile.Write(ref s_busy, 0);
        }
        job.ThrowIfFailed();
    }

    /// <summary>Returns when no helper is inside the job (see the remarks for the hand-shake).</summary>
    static void WaitForHelpers()
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref s_inside) != 0)
        {
            if (spinner.Count >= DoneSpins)
            {
                Interlocked.Exchange(ref s_callerSleeping, 1);
                if (Volatile.Read(ref s_inside) == 0 && Interlocked.Exchange(ref s_callerSleeping, 0) == 1)
                    return;
                // The helper that took the announcement releases the semaphore once.
                s_done.Wait();
                return;
            }
            spinner.SpinOnce(sleep1Threshold: -1);
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
            for (int h = 1; h < s_threads; h++)
            {
                s_wake[h] = new SemaphoreSlim(0);
                // Sleeping before it starts, so the first job that wants it releases it.
                s_state[h] = Sleeping;
                var t = new Thread(Loop, maxStackSize: 1 << 20) { IsBackground = true, Name = $"RfmFast worker {h}" };
                t.Start(h);
            }
            Volatile.Write(ref s_started, 1);
        }
    }

    static void Loop(object? state)
    {
        int h = (int)state!;
        SemaphoreSlim wake = s_wake[h];
        wake.Wait();
        Volatile.Write(ref s_state[h], Spinning);
        long seen = 0, spinTicks = 0, lastWork = Stopwatch.GetTimestamp();
        while (true)
        {
            // A job is new when its generation differs from the last one seen (the same job object is posted again
            // by the same caller for its next prediction).
            long generation = Volatile.Read(ref s_generation);
            if (generation != seen)
            {
                seen = generation;
                Interlocked.Increment(ref s_inside);
                PoolJob? job = Volatile.Read(ref s_job);
                if (job is not null)
                {
                    if (h < job.Participants)
                        job.Drain(h);
                    spinTicks = job.SpinTicks;
                }
                // Before leaving the job, so that the next caller's Woken cannot be overwritten after it was set.
                Volatile.Write(ref s_state[h], Spinning);
                if (Interlocked.Decrement(ref s_inside) == 0 && Interlocked.Exchange(ref s_callerSleeping, 0) == 1)
                    s_done.Release();
                lastWork = Stopwatch.GetTimestamp();
                continue;
            }
            if (Stopwatch.GetTimestamp() - lastWork < spinTicks)
            {
                Thread.SpinWait(8);
                continue;
            }
            // Sleep unless a caller marked us Woken in the meantime; either way look for the job again first.
            if (Interlocked.CompareExchange(ref s_state[h], Sleeping, Spinning) == Spinning)
                wake.Wait();
            Volatile.Write(ref s_state[h], Spinning);
            lastWork = Stopwatch.GetTimestamp();
        }
    }
}
