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
        public bool InUse;

        public void Execute(int worker, int workers) => Work.Execute(worker, workers);
    }

    [System.ThreadStatic] static Box? t_box;

    public static void Run(in TWork work, int workers)
    {
        var box = t_box ??= new Box();
        // A run of the same job type nested inside this thread's share (the pool runs it inline) must not
        // overwrite the box the outer run's workers are still reading: it gets a box of its own.
        if (box.InUse)
            box = new Box();
        box.Work = work;
        box.InUse = true;
        try
        {
            WorkerPool.Run(box, workers);
        }
        finally
        {
            box.Work = default;
            box.InUse = false;
        }
    }
}
