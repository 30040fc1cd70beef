using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace RfmFast.Core.Threading;

/// <summary>
/// A job of independent units for <see cref="CorePool"/>: every unit runs exactly once, on whichever participating
/// thread claims it. The units are dealt out in fixed contiguous ranges, one per participant (the caller first, then
/// each helper); each participant runs its own range in order, then takes units from the far end of the others'
/// ranges, so a thread that comes late (or never) holds up nothing and the caller always runs unit 0 first.
/// </summary>
/// <remarks>
/// The two kinds of job: the parallel loops (<see cref="ParallelJob{TWork}"/>, <see cref="WorkerPool"/>: one unit
/// per worker's share) and the shared single-sample prediction (<see cref="ChunkedJob"/>: many short chunks). They
/// differ only in their units and in how long a helper keeps watching for the next job (<see cref="SpinTicks"/>).
/// </remarks>
abstract class PoolJob
{
    // Range p as (first, end) packed in one long, so that its owner, claiming at one end, and a thief, claiming at
    // the other, each take a unit with one compare-and-swap.
    readonly long[] _ranges = new long[CorePool.Threads];
    int _participants;
    ExceptionDispatchInfo? _error;

    /// <summary>Runs unit <paramref name="unit"/>; may run on any participating thread.</summary>
    protected abstract void RunUnit(int unit);

    /// <summary>How long a helper that ran part of this job keeps watching for the next one before it sleeps, in
    /// <see cref="System.Diagnostics.Stopwatch"/> ticks (watching keeps a core busy).</summary>
    internal abstract long SpinTicks { get; }

    /// <summary>The threads dealt a range in the current run (the caller is participant 0).</summary>
    internal int Participants => _participants;

    /// <summary>Deals <paramref name="units"/> units out to <paramref name="participants"/> ranges.</summary>
    internal void Reset(int units, int participants)
    {
        _participants = Math.Clamp(participants, 1, _ranges.Length);
        _error = null;
        for (int p = 0; p < _participants; p++)
            _ranges[p] = Pack((int)((long)units * p / _participants), (int)((long)units * (p + 1) / _participants));
    }

    /// <summary>Runs participant <paramref name="participant"/>'s own units, then claims the others' until none is
    /// left. A unit that throws is recorded (the first error wins) and the others still run.</summary>
    internal void Drain(int participant)
    {
        int k;
        while (TryClaim(participant, fromEnd: false, out k))
            Run(k);
        for (int i = 1; i < _participants; i++)
        {
            // From the end the owner reaches last, so the two meet without contending for the same units.
            int owner = (participant + i) % _participants;
            while (TryClaim(owner, fromEnd: true, out k))
                Run(k);
        }
    }

    /// <summary>Rethrows on the caller's thread the first error a unit raised, on whichever thread it ran.</summary>
    internal void ThrowIfFailed()
    {
        var error = _error;
        _error = null;
        error?.Throw();
    }

    void Run(int unit)
    {
        try
        {
            RunUnit(unit);
        }
#pragma warning disable CA1031 // The error is carried to the caller's thread and rethrown there.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    bool TryClaim(int range, bool fromEnd, out int unit)
    {
        while (true)
        {
            long seen = Volatile.Read(ref _ranges[range]);
            int first = (int)seen, end = (int)(seen >> 32);
            if (first >= end)
            {
                unit = -1;
                return false;
            }
            unit = fromEnd ? end - 1 : first;
            long next = fromEnd ? Pack(first, end - 1) : Pack(first + 1, end);
            if (Interlocked.CompareExchange(ref _ranges[range], next, seen) == seen)
                return true;
        }
    }

    static long Pack(int first, int end) => (uint)first | ((long)end << 32);
}
