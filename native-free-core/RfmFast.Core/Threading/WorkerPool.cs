using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace RfmFast.Core.Threading;

/// <summary>One parallel job: <see cref="Execute"/> is called once for each worker index.</summary>
interface IParallelWork
{
    /// <summary>Runs worker <paramref name="worker"/>'s share of the job, out of <paramref name="workers"/>.</summary>
    void Execute(int worker, int workers);
}

/// <summary>
/// Dedicated worker threads for the core's parallel routines, started once. Running a job allocates
/// nothing (Parallel.For allocates per call, which the zero-allocation contract forbids): the caller
/// runs worker 0 itself and wakes the others.
/// </summary>
/// <remarks>
/// <para>A recursive factorization issues hundreds of GEMMs back to back, so a worker that has just
/// finished spins for <see cref="SpinMicroseconds"/> watching for the next job before it goes to sleep on
/// its semaphore: a wake-up from sleep costs tens of microseconds, a spinning worker starts at once.
/// The handshake: the caller marks the worker Woken and releases its semaphore only if it had marked
/// itself Sleeping; a worker only sleeps if it could move its own state from Spinning to Sleeping.</para>
/// <para>One job runs at a time. A second caller that finds the pool busy (another thread, or a job that
/// calls back into the core) runs every share of its job itself, in order: slower, never a deadlock.</para>
/// </remarks>
static class WorkerPool
{
    const int Spinning = 0, Sleeping = 1, Woken = 2;

    /// <summary>The environment variable that sets <see cref="SpinMicroseconds"/> (0 to 10000; read once).</summary>
    public const string SpinVariable = "RFMFAST_WORKER_SPIN_US";

    /// <summary>How long an idle worker watches for the next job before sleeping, in microseconds: 0 unless
    /// <see cref="SpinVariable"/> says otherwise. Off because on a loaded 2-core machine 200 us of spinning
    /// doubled the time of a recursive Cholesky at n = 1000 (the spinner takes the core the caller needs),
    /// while on a quiet one it gains little: spotrf n = 1000 2.9-3.0 ms with 200 us against 3.06-3.15 ms
    /// with 0, n = 5000 215 ms either way (Zen 4, 2 cores, `compare potrf --case "spotrf n=1000"`).</summary>
    public static readonly int SpinMicroseconds = ReadSpin();

    static int ReadSpin() =>
        int.TryParse(Environment.GetEnvironmentVariable(SpinVariable), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int us) ? Math.Min(us, 10_000) : 0;

    static readonly int s_threads = Math.Max(1, Environment.ProcessorCount);
    static readonly SemaphoreSlim[] s_wake = new SemaphoreSlim[s_threads];
    static readonly int[] s_state = new int[s_threads];
    // The caller's wait for the other workers: spin, then sleep on a semaphore the last worker releases. (Not a
    // ManualResetEventSlim: its first blocking wait allocates the lock object it sleeps on, so a caller could be
    // charged 24 bytes at any time, e.g. in the middle of a zero-allocation prediction on a loaded machine.)
    static readonly SemaphoreSlim s_doneSignal = new(0);
    static int s_callerSleeping;
    const int DoneSpins = 2000;
    static int s_busy;
    static int s_pending;
    static int s_workers;
    static long s_generation;
    static IParallelWork? s_work;
    static ExceptionDispatchInfo? s_error;
    static int s_started;
    static readonly Lock s_startLock = new();

    /// <summary>The number of workers a job gets by default: the processor count, or less if
    /// <see cref="MaxWorkers"/> was lowered.</summary>
    public static int DefaultWorkers => Math.Min(s_threads, Math.Max(1, MaxWorkers));

    /// <summary>The process-wide cap on workers (default: the processor count).</summary>
    public static int MaxWorkers { get; set; } = s_threads;

    /// <summary>Runs <paramref name="work"/> on <paramref name="workers"/> workers and returns when all
    /// have finished; an exception thrown by any worker is rethrown here.</summary>
    public static void Run(IParallelWork work, int workers)
    {
        workers = Math.Clamp(workers, 1, s_threads);
        if (workers == 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int w = 0; w < workers; w++)
                work.Execute(w, workers);
            return;
        }
        try
        {
            EnsureStarted();
            s_work = work;
            s_workers = workers;
            s_error = null;
            Volatile.Write(ref s_pending, workers - 1);
            Interlocked.Increment(ref s_generation);
            for (int w = 1; w < workers; w++)
            {
                if (Interlocked.Exchange(ref s_state[w], Woken) == Sleeping)
                    s_wake[w].Release();
            }
            try
            {
                work.Execute(0, workers);
            }
            finally
            {
                // Wait for the others even if worker 0 failed: they still use the caller's memory.
                WaitForWorkers();
            }
            s_error?.Throw();
        }
        finally
        {
            s_work = null;
            s_error = null;
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>Returns when every other worker has finished its share. The handshake with the last worker: the
    /// caller announces that it will sleep, then looks again; whichever of the two takes the announcement back
    /// (an interlocked exchange) decides: the worker by releasing the semaphore, the caller by not sleeping.</summary>
    static void WaitForWorkers()
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref s_pending) != 0)
        {
            if (spinner.Count >= DoneSpins)
            {
                Interlocked.Exchange(ref s_callerSleeping, 1);
                if (Volatile.Read(ref s_pending) == 0 && Interlocked.Exchange(ref s_callerSleeping, 0) == 1)
                    return;
                // The last worker has taken (or will take) the announcement and releases the semaphore once.
                s_doneSignal.Wait();
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
            for (int w = 1; w < s_threads; w++)
            {
                s_wake[w] = new SemaphoreSlim(0);
                s_state[w] = Sleeping;
                var t = new Thread(Loop, maxStackSize: 1 << 20) { IsBackground = true, Name = $"RfmFast worker {w}" };
                t.Start(w);
            }
            Volatile.Write(ref s_started, 1);
        }
    }

    static void Loop(object? state)
    {
        int w = (int)state!;
        SemaphoreSlim wake = s_wake[w];
        long seen = 0;
        // The thread starts Sleeping (set before it was started), so the first job always releases it.
        wake.Wait();
        while (true)
        {
            seen = Volatile.Read(ref s_generation);
            try
            {
                if (w < s_workers)
                    s_work!.Execute(w, s_workers);
            }
#pragma warning disable CA1031 // The error is carried to the caller thread and rethrown there.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref s_error, ExceptionDispatchInfo.Capture(e), null);
            }
            Volatile.Write(ref s_state[w], Spinning);
            // The last worker wakes the caller if it went to sleep (and only then: see WaitForWorkers).
            if (Interlocked.Decrement(ref s_pending) == 0 && Interlocked.Exchange(ref s_callerSleeping, 0) == 1)
                s_doneSignal.Release();
            WaitForNext(w, wake, seen);
        }
    }

    static void WaitForNext(int w, SemaphoreSlim wake, long seen)
    {
        long start = Stopwatch.GetTimestamp();
        long limit = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (Stopwatch.GetTimestamp() - start < limit)
        {
            if (Volatile.Read(ref s_state[w]) == Woken && Volatile.Read(ref s_generation) != seen)
                return;
            Thread.SpinWait(20);
        }
        if (Interlocked.CompareExchange(ref s_state[w], Sleeping, Spinning) == Spinning)
            wake.Wait();
        // Otherwise the caller marked us Woken between the last check and the exchange: run at once.
    }

    /// <summary>Splits [0, count) into <paramref name="workers"/> nearly equal ranges aligned to
    /// <paramref name="granule"/>; returns worker <paramref name="worker"/>'s range.</summary>
    public static (int Start, int End) Split(int count, int granule, int worker, int workers)
    {
        int granules = (count + granule - 1) / granule;
        int start = (int)((long)granules * worker / workers) * granule;
        int end = (int)((long)granules * (worker + 1) / workers) * granule;
        return (Math.Min(start, count), Math.Min(end, count));
    }
}
