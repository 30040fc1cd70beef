namespace RfmFast.Core.Threading;

/// <summary>A parallel job's arguments as a struct, with the share of one worker.</summary>
interface IWorkerShare
{
    /// <summary>Runs worker <paramref name="worker"/>'s share, out of <paramref name="workers"/>; called from
    /// several threads at once, so it must not modify the struct.</summary>
    void Execute(int worker, int workers);
}

/// <summary>
/// Runs a struct job as a parallel loop on the <see cref="CorePool"/> without allocating: the struct travels in
/// one box per thread and job type, created once and reused; the box is cleared after the run so that it keeps no
/// pointers into the caller's buffers.
/// </summary>
static class ParallelJob<TWork> where TWork : struct, IWorkerShare
{
    sealed class Box : PoolJob
    {
        public TWork Work;
        public int Workers;

        internal override long SpinTicks => WorkerPool.SpinTicks;

        protected override void RunUnit(int unit) => Work.Execute(unit, Workers);
    }

    [System.ThreadStatic] static Box? t_box;

    /// <summary>Runs the <paramref name="workers"/> shares of <paramref name="work"/> (clamped to the processor
    /// count) and returns when all have finished; an exception thrown by any share is rethrown here.</summary>
    public static void Run(in TWork work, int workers)
    {
        workers = System.Math.Clamp(workers, 1, CorePool.Threads);
        // The box leaves the thread's slot while it runs: a run of the same job type nested inside this thread's
        // share (the pool runs it inline) finds the slot empty and takes a box of its own instead of overwriting
        // the one the outer run's helpers are still reading.
        var box = t_box ?? new Box();
        t_box = null;
        box.Work = work;
        box.Workers = workers;
        try
        {
            CorePool.Run(box, workers, workers);
        }
        finally
        {
            box.Work = default;
            t_box = box;
        }
    }
}
