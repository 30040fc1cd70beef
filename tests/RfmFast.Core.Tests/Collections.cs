using Xunit;

namespace RfmFast.Core.Tests;

// xunit runs test collections (by default one per class) in parallel; a collection with
// DisableParallelization runs on its own after the parallel ones, with nothing else in the process.

/// <summary>The pool is process-wide; <see cref="PooledBufferTests"/> count its blocks, so they run alone
/// (no GEMM renting packing blocks beside them).</summary>
[CollectionDefinition(nameof(PoolRunsAlone), DisableParallelization = true)]
public sealed class PoolRunsAlone;

/// <summary><see cref="AllocationTests"/> measure GC.GetTotalAllocatedBytes, which counts every thread: any test
/// running beside them (the BLAS tests allocate their inputs) would be counted as the core's allocation.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsRunAlone;

/// <summary><see cref="ChunkSharingTests"/> need the core's thread pool free: a job that finds it busy runs on the
/// calling thread alone, and one of them checks that a helper takes part.</summary>
[CollectionDefinition(nameof(CorePoolRunsAlone), DisableParallelization = true)]
public sealed class CorePoolRunsAlone;
