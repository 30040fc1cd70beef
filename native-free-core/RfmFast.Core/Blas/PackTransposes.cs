using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RfmFast.Core.Level3;

/// <summary>
/// In-register transposes for the two packing cases that read the source across its rows: A not
/// transposed (a 6-row micro-panel is stored column by column) and B transposed (a micro-panel of NR
/// rows of the source becomes NR columns). Element by element these copies cost several times more than
/// the loads and stores they need, a visible share of a GEMM (see bench/results/notes/core-measurements.md).
/// </summary>
/// <remarks>
/// AVX only (256-bit shuffles; every V256 and V512 machine has it). Callers keep a scalar path for the
/// rest of the block and for other ISAs. The 6-row forms write each 6-element column with one 4-wide and
/// one 2-wide store, so nothing is written outside the panel.
/// </remarks>
static unsafe class PackTransposes
{
    /// <summary>dst[k * 6 + r] = src[r * lds + k] for r &lt; 6, k &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows6x8(float* src, nint lds, float* dst)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2 * lds);
        var r3 = Avx.LoadVector256(src + 3 * lds);
        var r4 = Avx.LoadVector256(src + 4 * lds);
        var r5 = Avx.LoadVector256(src + 5 * lds);
        // Pairs of rows interleaved: t0 = r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] r0[5] r1[5], and so on.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        // Four rows of column j in the low lane (j < 4) or the high lane (j + 4).
        var c04 = Avx.Shuffle(t0, t2, 0x44);
        var c15 = Avx.Shuffle(t0, t2, 0xEE);
        var c26 = Avx.Shuffle(t1, t3, 0x44);
        var c37 = Avx.Shuffle(t1, t3, 0xEE);
        // Rows 4 and 5 of column j: the low or high 64 bits of a lane of t4 / t5.
        var e04 = t4.AsDouble();
        var e26 = t5.AsDouble();
        Column6(dst, c04.GetLower(), e04.GetLower());
        Column6(dst + 6, c15.GetLower(), Sse2.UnpackHigh(e04.GetLower(), e04.GetLower()));
        Column6(dst + 12, c26.GetLower(), e26.GetLower());
        Column6(dst + 18, c37.GetLower(), Sse2.UnpackHigh(e26.GetLower(), e26.GetLower()));
        Column6(dst + 24, c04.GetUpper(), e04.GetUpper());
        Column6(dst + 30, c15.GetUpper(), Sse2.UnpackHigh(e04.GetUpper(), e04.GetUpper()));
        Column6(dst + 36, c26.GetUpper(), e26.GetUpper());
        Column6(dst + 42, c37.GetUpper(), Sse2.UnpackHigh(e26.GetUpper(), e26.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Column6(float* d, Vector128<float> first4, Vector128<double> last2)
    {
        Sse.Store(d, first4);
        Sse2.StoreScalar((double*)(d + 4), last2);
    }

    /// <summary>dst[k * 6 + r] = src[r * lds + k] for r &lt; 6, k &lt; 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows6x4(double* src, nint lds, double* dst)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2 * lds);
        var r3 = Avx.LoadVector256(src + 3 * lds);
        var r4 = Avx.LoadVector256(src + 4 * lds);
        var r5 = Avx.LoadVector256(src + 5 * lds);
        // t0 = r0[0] r1[0] | r0[2] r1[2]; t1 = r0[1] r1[1] | r0[3] r1[3].
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        Avx.Store(dst, Avx.Permute2x128(t0, t2, 0x20));
        Sse2.Store(dst + 4, t4.GetLower());
        Avx.Store(dst + 6, Avx.Permute2x128(t1, t3, 0x20));
        Sse2.Store(dst + 10, t5.GetLower());
        Avx.Store(dst + 12, Avx.Permute2x128(t0, t2, 0x31));
        Sse2.Store(dst + 16, t4.GetUpper());
        Avx.Store(dst + 18, Avx.Permute2x128(t1, t3, 0x31));
        Sse2.Store(dst + 22, t5.GetUpper());
    }

    /// <summary>dst[k * ldd + j] = src[j * lds + k] for j, k &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8x8(float* src, nint lds, float* dst, nint ldd)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2 * lds);
        var r3 = Avx.LoadVector256(src + 3 * lds);
        var r4 = Avx.LoadVector256(src + 4 * lds);
        var r5 = Avx.LoadVector256(src + 5 * lds);
        var r6 = Avx.LoadVector256(src + 6 * lds);
        var r7 = Avx.LoadVector256(src + 7 * lds);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        // Rows 0-3 of columns (0,4), (1,5), (2,6), (3,7), and rows 4-7 likewise.
        var a04 = Avx.Shuffle(t0, t2, 0x44);
        var a15 = Avx.Shuffle(t0, t2, 0xEE);
        var a26 = Avx.Shuffle(t1, t3, 0x44);
        var a37 = Avx.Shuffle(t1, t3, 0xEE);
        var b04 = Avx.Shuffle(t4, t6, 0x44);
        var b15 = Avx.Shuffle(t4, t6, 0xEE);
        var b26 = Avx.Shuffle(t5, t7, 0x44);
        var b37 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(a04, b04, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(a15, b15, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(a26, b26, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(a37, b37, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(a04, b04, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(a15, b15, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(a26, b26, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(a37, b37, 0x31));
    }

    /// <summary>dst[k * ldd + j] = src[j * lds + k] for j, k &lt; 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block4x4(double* src, nint lds, double* dst, nint ldd)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2 * lds);
        var r3 = Avx.LoadVector256(src + 3 * lds);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(dst, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(t1, t3, 0x31));
    }
}
