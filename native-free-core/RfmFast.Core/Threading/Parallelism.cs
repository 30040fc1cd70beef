using RfmFast.Core.Threading;

namespace RfmFast.Core;

/// <summary>How many threads the core's routines use, for callers that pass a worker count of their own.</summary>
public static class Parallelism
{
    /// <summary>The worker count a core routine uses when none is given: the processor count (the core's threads
    /// are started once and shared by every routine).</summary>
    public static int DefaultWorkers => WorkerPool.DefaultWorkers;
}
