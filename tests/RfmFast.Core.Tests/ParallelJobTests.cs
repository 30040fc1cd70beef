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

    /// <summary>Worker 1's share sleeps <paramref name="ms"/> milliseconds: longer than the caller's spin, so the
    /// caller goes to sleep until it is done.</summary>
    readonly struct SlowSecondShare(int[] done, int ms) : IWorkerShare
    {
        public void Execute(int worker, int workers)
        {
            if (worker == 1 && ms > 0)
                Thread.Sleep(ms);
            Volatile.Write(ref done[worker], 1);
        }
    }

    [Fact]
    public void A_caller_that_sleeps_until_the_workers_finish_allocates_nothing_and_sees_their_work()
    {
        if (WorkerPool.DefaultWorkers < 2)
            Assert.Skip("one worker: the pool runs every share on the calling thread");
        var done = new int[2];
        ParallelJob<SlowSecondShare>.Run(new SlowSecondShare(done, 0), 2); // the box for this job type, no sleep
        var job = new SlowSecondShare(done, 30);
        for (int run = 0; run < 3; run++)
        {
            Array.Clear(done);
            // Every sleep counts: a ManualResetEventSlim allocated its lock object on its first blocking wait.
            long before = GC.GetAllocatedBytesForCurrentThread();
            ParallelJob<SlowSecondShare>.Run(job, 2);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal([1, 1], done);
            Assert.Equal(0, allocated);
        }
    }

    /// <summary>Share 1 throws; whichever thread runs it, the caller gets the exception after every share has run,
    /// and the pool runs the next job normally.</summary>
    readonly struct ThrowingShare(int[] done) : IWorkerShare
    {
        public void Execute(int worker, int workers)
        {
            Volatile.Write(ref done[worker], 1);
            if (worker == 1)
                throw new InvalidOperationException("share 1 failed");
        }
    }

    [Fact]
    public void An_exception_in_a_share_is_rethrown_on_the_caller_after_every_share_ran()
    {
        if (WorkerPool.DefaultWorkers < 2)
            Assert.Skip("one worker: there is no share 1");
        for (int run = 0; run < 20; run++)
        {
            var done = new int[2];
            var e = Assert.Throws<InvalidOperationException>(() => ParallelJob<ThrowingShare>.Run(new ThrowingShare(done), 2));
            Assert.Equal("share 1 failed", e.Message);
            Assert.Equal([1, 1], done);
            var after = new int[2];
            ParallelJob<SlowSecondShare>.Run(new SlowSecondShare(after, 0), 2);
            Assert.Equal([1, 1], after);
        }
    }
}
