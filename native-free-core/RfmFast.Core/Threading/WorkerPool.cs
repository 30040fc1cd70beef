using System;
using System.Diagnostics;

namespace RfmFast.Core.Threading;

/// <summary>One parallel job: <see cref="Execute"/> is called once for each worker index.</summary>
interface IParallelWork
{
    /// <summary>Runs worker <paramref name="worker"/>'s share of the job, out of <paramref name="workers"/>.</summary>
    void Execute(int worker, int workers);
}

/// <summary>
/// The parallel loops of the core's routines, one kind of <see cref="CorePool"/> job: a job of
/// <c>workers</c> shares, share 0 run by the caller, the others by whichever thread claims them first (a helper
/// that is slow to wake leaves its share to the caller instead of holding it up). Allocates nothing per call.
/// </summary>
/// <remarks>
/// A recursive factorization issues hundreds of GEMMs back to back; a helper that has just finished one may
/// watch for the next for <see cref="SpinMicroseconds"/> before it sleeps (0 by default).
/// </remarks>
static class WorkerPool
{
    /// <summary>The environment variable that sets <see cref="SpinMicroseconds"/> (0 to 10000; read once).</summary>
    public const string SpinVariable = "RFMFAST_WORKER_SPIN_US";

    /// <summary>How long an idle worker watches for the next job before sleeping, in microseconds: 0 unless
    /// <see cref="SpinVariable"/> says otherwise. Off because on a loaded machine a spinning worker takes the core
    /// the caller needs, while on a quiet one spinning gains little (see bench/results/notes/core-measurements.md).</summary>
    public static readonly int SpinMicroseconds = ReadSpin();

    /// <summary><see cref="SpinMicroseconds"/> in Stopwatch ticks.</summary>
    internal static readonly long SpinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    static int ReadSpin() =>
        int.TryParse(Environment.GetEnvironmentVariable(SpinVariable), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int us) ? Math.Min(us, 10_000) : 0;

    /// <summary>The number of workers a job gets by default: the processor count, or less if
    /// <see cref="MaxWorkers"/> was lowered.</summary>
    public static int DefaultWorkers => Math.Min(CorePool.Threads, Math.Max(1, MaxWorkers));

    /// <summary>The process-wide cap on workers (default: the processor count).</summary>
    public static int MaxWorkers { get; set; } = CorePool.Threads;

    /// <summary>Runs <paramref name="work"/> on <paramref name="workers"/> workers (clamped to the processor count)
    /// and returns when all have finished; an exception thrown by any worker is rethrown here.</summary>
    public static void Run(IParallelWork work, int workers)
    {
        workers = Math.Clamp(workers, 1, CorePool.Threads);
        // The job leaves the thread's slot while it runs, so that a nested run on this thread (the pool runs it
        // inline) takes a job of its own instead of overwriting the one the outer run's helpers are reading.
        var job = t_job ?? new WorkJob();
        t_job = null;
        job.Set(work, workers);
        try
        {
            CorePool.Run(job, workers, workers);
        }
        finally
        {
            job.Set(null, 0);
            t_job = job;
        }
    }

    [ThreadStatic] static WorkJob? t_job;

    /// <summary>An <see cref="IParallelWork"/> as a pool job: unit w is share w.</summary>
    sealed class WorkJob : PoolJob
    {
        IParallelWork? _work;
        int _workers;

        public void Set(IParallelWork? work, int workers)
        {
            _work = work;
            _workers = workers;
        }

        internal override long SpinTicks => WorkerPool.SpinTicks;

        protected override void RunUnit(int unit) => _work!.Execute(unit, _workers);
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
