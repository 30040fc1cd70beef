using System.Numerics;

namespace RfmFast.Core.Simd;

/// <summary>
/// The operations the core's generic kernels need from one ISA tier, for element type
/// <typeparamref name="T"/> packed in <typeparamref name="TVec"/> (TensorPrimitives' operator-struct
/// pattern, turned around: the kernel is generic over the ISA). Every member is a static abstract on a
/// struct, so the JIT specialises each kernel per tier and inlines every call.
/// </summary>
/// <remarks>
/// <see cref="MulAdd"/> fuses only where the tier has hardware FMA (V256, V512, NEON); on SSE it is a
/// multiply and an add, because software-emulated fusion is far too slow. Results may therefore differ
/// in the last bit between tiers; tests compare against a double reference with a tolerance.
/// </remarks>
unsafe interface ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }
    static abstract TVec Splat(T value);
    static abstract TVec Load(T* p);
    static abstract void Store(T* p, TVec v);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Sub(TVec a, TVec b);
    static abstract TVec Mul(TVec a, TVec b);
    static abstract TVec Div(TVec a, TVec b);

    /// <summary>a * b + c; fused where the tier has FMA.</summary>
    static abstract TVec MulAdd(TVec a, TVec b, TVec c);

    /// <summary>Lane-wise maximum with the platform's NaN rule (unspecified which lane wins); code that
    /// must keep a NaN uses <see cref="LessThan"/> and <see cref="Select"/> instead.</summary>
    static abstract TVec Max(TVec a, TVec b);
    static abstract TVec Min(TVec a, TVec b);
    static abstract TVec Sqrt(TVec a);

    /// <summary>All-ones lanes where a &lt; b.</summary>
    static abstract TVec LessThan(TVec a, TVec b);

    /// <summary>All-ones lanes where a is NaN.</summary>
    static abstract TVec IsNaN(TVec a);

    /// <summary>Lanes of a where mask is set, else of b.</summary>
    static abstract TVec Select(TVec mask, TVec a, TVec b);

    /// <summary>
    /// Given t = y + 1.5 * 2^(mantissa bits) holding a rounded integer n in the low mantissa bits,
    /// returns 2^(n + bias - (exponent bias)) built directly in the exponent field. Used by
    /// <see cref="VectorMath"/>'s exp for the scaling step.
    /// </summary>
    static abstract TVec Pow2FromShifted(TVec t, int bias);

    /// <summary>For positive normal x: the mantissa in [1, 2), with the unbiased exponent as a floating-point
    /// value in <paramref name="exponent"/> (built through the 2^p-magic trick: AVX2 has no int64-to-double
    /// conversion).</summary>
    static abstract TVec SplitExponent(TVec x, out TVec exponent);

    /// <summary>The sum of all lanes.</summary>
    static abstract T Sum(TVec v);

    /// <summary>Count floats from <paramref name="p"/> as a vector of T: a plain load for float, a widening load
    /// (exact) for double.</summary>
    static abstract TVec LoadWidened(float* p);

    /// <summary>A hint to bring the cache line of <paramref name="p"/> into L1 (x86 prefetcht0 on the vector
    /// tiers); nothing where the tier has no such instruction.</summary>
    static abstract void Prefetch(void* p);

    /// <summary>Whether packing and mirroring may use the AVX in-register transposes
    /// (<see cref="RfmFast.Core.Level3.PackTransposes"/>): only on the 256- and 512-bit tiers, and only when the
    /// process has AVX (a vector tier emulated in software, as the tests run it, has not).</summary>
    static abstract bool HasAvxTransposes { get; }
}
