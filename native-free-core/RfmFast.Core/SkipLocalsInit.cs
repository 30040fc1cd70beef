using System.Runtime.CompilerServices;

// Stack scratch (GEMM edge tiles, TRSM chunks) is always written before it is read; zeroing it on every
// call showed up as CORINFO_HELP_MEMZERO in the macro-kernel's prologue.
[module: SkipLocalsInit]
