namespace RfmFast.Core.Threading;

/// <summary>A parallel job's arguments as a struct, with the share of one worker.</summary>
interface IWorkerShare
{
    /// <summary>Runs worker <paramref name="worker"/>'s share, out of <paramref name="workers"/>; called from
    /// several threads at once, so it must not modify the struct.</summary>
    void Execute(int worker, int workers);
}

/// <summary>
/// Runs a struct job on the <see cref="WorkerPool"/> without allocating: the pool takes an object, so the
/// struct travels in one box per thread and job type, created once and reused; the box is cleared after
/// the run so that it keeps no pointers into the caller's buffers.
/// </summary>
static class ParallelJob<TWork> where TWork : struct, IWorkerShare
{
    sealed class Box : IParallelWork
    {
        public TWork Work;

        public void Execute(int worker, int workers) => Work.Execute(worker, workers);
    }

    [System.ThreadStatic] static Box? t_box;

    public static void Run(in TWork work, int workers)
    {
        // The box leaves the thread's slot while it runs: a run of the same job type nested inside this thread's
        // share (the pool runs it inline) finds the slot empty and takes a box of its own instead of overwriting
        // the one the outer run's workers are still reading.
        var box = t_box ?? new Box();
        t_box = null;
        box.Work = work;
        try
        {
            WorkerPool.Run(box, workers);
        }
        finally
        {
            box.Work = default;
            t_box = box;
        }
    }
}
