namespace RfmFast.Core.Level3;

/// <summary>
/// Work fused into GEMM after a tile of C is final (its last k block is done), while the tile is still
/// in L1: this is how the kernel matrix turns -2 X Z^T into exp(-r/L) without a second pass over memory.
/// </summary>
unsafe interface IGemmEpilogue<T> where T : unmanaged
{
    /// <summary>True for the epilogue that does nothing, so the driver can skip the call.</summary>
    static abstract bool IsIdentity { get; }

    /// <summary>Transforms the finished tile c (rows x cols, leading dimension ldc) whose element (0, 0)
    /// is element (row0, col0) of the whole C.</summary>
    void Apply(T* c, nint ldc, int row0, int col0, int rows, int cols);
}

/// <summary>Plain GEMM: no epilogue.</summary>
readonly unsafe struct NoEpilogue<T> : IGemmEpilogue<T> where T : unmanaged
{
    public static bool IsIdentity => true;

    public void Apply(T* c, nint ldc, int row0, int col0, int rows, int cols) { }
}
