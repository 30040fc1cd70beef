using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using RfmFast.Core.Threading;
using Xunit;

namespace RfmFast.Core.Tests;

public sealed class ParallelJobTests
{
    /// <summary>Worker 0 of job 1 runs a job of the same type inside its share, while worker 1 of job 1 waits for
    /// that nested run to end and only then reads its own fields again.</summary>
    struct Nesting(int id, StrongBox<int> nestedDone, int[] seen) : IWorkerShare
    {
        readonly int _id = id;
        readonly StrongBox<int> _nestedDone = nestedDone;
        readonly int[] _seen = seen;

        public readonly void Execute(int worker, int workers)
        {
            var done = _nestedDone;
            var seen = _seen;
            if (_id == 1 && worker == 0)
            {
                ParallelJob<Nesting>.Run(new Nesting(2, new StrongBox<int>(), new int[workers]), workers);
                Volatile.Write(ref done.Value, 1);
            }
            else if (_id == 1)
            {
                var clock = Stopwatch.StartNew();
                while (Volatile.Read(ref done.Value) == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
                    Thread.SpinWait(20);
            }
            seen[worker] = _id;
        }
    }

    [Fact]
    public void A_nested_run_of_the_same_job_type_does_not_disturb_the_outer_run()
    {
        if (WorkerPool.DefaultWorkers < 2)
            Assert.Skip("one worker: the pool runs every share on the calling thread");
        for (int run = 0; run < 20; run++)
        {
            var seen = new int[2];
            ParallelJob<Nesting>.Run(new Nesting(1, new StrongBox<int>(), seen), 2);
            Assert.Equal([1, 1], seen);
        }
    }
}
