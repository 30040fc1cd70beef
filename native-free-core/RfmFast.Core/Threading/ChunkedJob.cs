namespace RfmFast.Core.Threading;

/// <summary>A job of short, independent chunks (a single-sample prediction: tens of microseconds in all) that any
/// participating thread may run, each exactly once: the second kind of <see cref="CorePool"/> job. Its helpers keep
/// watching for the next job for <see cref="ChunkSharing.SpinMicroseconds"/>, so that a burst of calls finds them
/// awake. An exception of a chunk is rethrown on the caller's thread (see <see cref="PoolJob"/>).</summary>
abstract class ChunkedJob : PoolJob
{
    /// <summary>Runs chunk <paramref name="chunk"/>.</summary>
    protected abstract void RunChunk(int chunk);

    protected sealed override void RunUnit(int unit) => RunChunk(unit);

    internal sealed override long SpinTicks => ChunkSharing.SpinTicks;
}
