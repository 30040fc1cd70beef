using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RfmFast.Core.Threading;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>The hand-off of a single-sample prediction's chunks: whoever runs them, every chunk runs exactly once
/// and the job is finished when <see cref="ChunkSharing.Run"/> returns (a helper still running a chunk after that
/// would write into the caller's freed scratch).</summary>
[Collection(nameof(CorePoolRunsAlone))]
public sealed class ChunkSharingTests
{
    /// <summary>Counts how often each chunk ran and whether any ran after the job was declared finished.</summary>
    sealed class RecordingJob(int capacity) : ChunkedJob
    {
        public readonly int[] Runs = new int[capacity];
        public volatile bool Finished;
        public int RanLate;

        protected override void RunChunk(int chunk)
        {
            // A little work per chunk, so that a spinning helper has time to join.
            Thread.SpinWait(200);
            if (Finished)
                Interlocked.Increment(ref RanLate);
            Interlocked.Increment(ref Runs[chunk]);
        }

        public void Clear()
        {
            System.Array.Clear(Runs);
            Finished = false;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20)]
    [InlineData(333)]
    public void Every_chunk_runs_exactly_once_shared_or_not_from_concurrent_callers(int chunks)
    {
        Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, caller =>
        {
            var job = new RecordingJob(chunks);
            for (int run = 0; run < 200; run++)
            {
                job.Clear();
                ChunkSharing.Run(job, chunks, workers: run % 3 != 0 ? CorePool.Threads : 1);
                job.Finished = true;
                Assert.All(job.Runs, r => Assert.Equal(1, r));
            }
            // A helper that touched the job after Run returned would have counted itself here (or a chunk twice).
            Thread.Sleep(5);
            Assert.Equal(0, Volatile.Read(ref job.RanLate));
            Assert.All(job.Runs, r => Assert.Equal(1, r));
        });
    }

    /// <summary>The caller's first chunk blocks until another thread has run a chunk: only a helper can, so the job
    /// finishes only if a helper takes part (whenever it gets to run: no timing is assumed).</summary>
    [Fact]
    public void A_helper_runs_the_chunks_the_caller_cannot_get_to()
    {
        Assert.SkipWhen(ChunkSharing.Helpers == 0, "one processor: no helper thread");
        var job = new BlockedCallerJob(16);
        ChunkSharing.Run(job, 16, workers: 2);
        Assert.True(job.HelperRan, "the caller's chunk 0 gave up waiting for a helper (60 s)");
        Assert.All(job.Runs, r => Assert.Equal(1, r));
    }

    /// <summary>Chunks beyond the worker count's participants are never dealt to other threads: with one worker the
    /// calling thread runs everything.</summary>
    [Fact]
    public void One_worker_keeps_every_chunk_on_the_calling_thread()
    {
        var job = new ThreadsJob(64);
        for (int run = 0; run < 20; run++)
            ChunkSharing.Run(job, 64, workers: 1);
        Assert.Equal([Environment.CurrentManagedThreadId], job.Threads);
    }

    sealed class BlockedCallerJob(int capacity) : ChunkedJob
    {
        public readonly int[] Runs = new int[capacity];
        readonly int _caller = Environment.CurrentManagedThreadId;
        readonly object _gate = new();
        bool _helperRan;

        public bool HelperRan
        {
            get { lock (_gate) return _helperRan; }
        }

        protected override void RunChunk(int chunk)
        {
            Interlocked.Increment(ref Runs[chunk]);
            lock (_gate)
            {
                if (Environment.CurrentManagedThreadId != _caller)
                {
                    _helperRan = true;
                    Monitor.PulseAll(_gate);
                }
                else if (chunk == 0 && !_helperRan)
                {
                    Monitor.Wait(_gate, TimeSpan.FromSeconds(60));
                }
            }
        }
    }

    [Fact]
    public void One_thread_runs_the_chunks_in_order_every_time()
    {
        var job = new OrderJob();
        for (int run = 0; run < 3; run++)
        {
            job.Order.Clear();
            ChunkSharing.Run(job, 7, workers: 1);
            Assert.Equal([0, 1, 2, 3, 4, 5, 6], job.Order);
        }
    }

    sealed class OrderJob : ChunkedJob
    {
        public readonly List<int> Order = [];

        protected override void RunChunk(int chunk) => Order.Add(chunk);
    }

    sealed class ThreadsJob(int capacity) : ChunkedJob
    {
        public readonly HashSet<int> Threads = [];
        readonly int[] _runs = new int[capacity];

        protected override void RunChunk(int chunk)
        {
            Thread.SpinWait(500);
            _runs[chunk]++;
            lock (Threads)
                Threads.Add(Environment.CurrentManagedThreadId);
        }
    }
}
