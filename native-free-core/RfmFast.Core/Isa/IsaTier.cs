namespace RfmFast.Core;

/// <summary>The SIMD code path the core runs on. Ordered from slowest to fastest.</summary>
public enum IsaTier
{
    /// <summary>Plain scalar code: no hardware intrinsics.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors: SSE on x64 (no FMA), AdvSimd (NEON) on arm64.</summary>
    V128 = 1,

    /// <summary>256-bit vectors with FMA: AVX2 + FMA3 on x64.</summary>
    V256 = 2,

    /// <summary>512-bit vectors: AVX-512 (F, BW, CD, DQ, VL) on x64.</summary>
    V512 = 3,
}
