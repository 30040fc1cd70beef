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
                ChunkSharing.Run(job, chunks, share: run % 3 != 0);
                job.Finished = true;
                Assert.All(job.Runs, r => Assert.Equal(1, r));
            }
            // A helper that touched the job after Run returned would have counted itself here (or a chunk twice).
            Thread.Sleep(5);
            Assert.Equal(0, Volatile.Read(ref job.RanLate));
            Assert.All(job.Runs, r => Assert.Equal(1, r));
        });
    }

    [Fact]
    public void Chunks_are_shared_with_a_helper_when_one_exists()
    {
        if (ChunkSharing.Helpers == 0)
            return;
        var job = new ThreadsJob(64);
        bool helped = false;
        // The helper sleeps until the first post wakes it; over a burst of calls it joins at least once.
        for (int run = 0; run < 500 && !helped; run++)
        {
            job.Threads.Clear();
            ChunkSharing.Run(job, 64, share: true);
            helped = job.Threads.Count > 1;
        }
        Assert.True(helped, "no chunk of 500 shared runs ran on a helper thread");
    }

    [Fact]
    public void One_thread_runs_the_chunks_in_order_every_time()
    {
        var job = new OrderJob();
        for (int run = 0; run < 3; run++)
        {
            job.Order.Clear();
            ChunkSharing.Run(job, 7, share: false);
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
