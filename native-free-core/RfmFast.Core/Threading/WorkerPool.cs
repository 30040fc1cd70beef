using System;
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
/// runs worker 0 itself and the other workers are woken through per-thread semaphores.
/// </summary>
/// <remarks>
/// One job runs at a time. A second caller that finds the pool busy (another thread, or a job that
/// calls back into the core) runs every share of its job itself, in order: slower, never a deadlock.
/// </remarks>
static class WorkerPool
{
    static readonly int s_threads = Math.Max(1, Environment.ProcessorCount);
    static readonly SemaphoreSlim[] s_wake = new SemaphoreSlim[s_threads];
    static readonly ManualResetEventSlim s_done = new(false);
    static int s_busy;
    static int s_pending;
    static int s_workers;
    static IParallelWork? s_work;
    static ExceptionDispatchInfo? s_error;
    static int s_started;

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
            s_done.Reset();
            Volatile.Write(ref s_pending, workers - 1);
            for (int w = 1; w < workers; w++)
                s_wake[w].Release();
            try
            {
                work.Execute(0, workers);
            }
            finally
            {
                // Wait for the others even if worker 0 failed: they still use the caller's memory.
                s_done.Wait();
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

    static void EnsureStarted()
    {
        if (Volatile.Read(ref s_started) != 0)
            return;
        for (int w = 1; w < s_threads; w++)
        {
            s_wake[w] = new SemaphoreSlim(0);
            var t = new Thread(Loop, maxStackSize: 1 << 20) { IsBackground = true, Name = $"RfmFast worker {w}" };
            t.Start(w);
        }
        Volatile.Write(ref s_started, 1);
    }

    static void Loop(object? state)
    {
        int w = (int)state!;
        SemaphoreSlim wake = s_wake[w];
        while (true)
        {
            wake.Wait();
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
            if (Interlocked.Decrement(ref s_pending) == 0)
                s_done.Set();
        }
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
