using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RfmFast.Core.Simd;

// The three vector tiers are the same code over Vector128, Vector256 and Vector512: each member is one
// portable VectorN call, so the file is three short, diffable blocks. On hardware without the width,
// the portable API runs in software: slow, but correct, which is what lets one process test every tier.
// MultiplyAddEstimate fuses exactly when the hardware has FMA, which is the contract of ISimd.MulAdd.
// The only ISA tests of the core outside Isa live here, in the tier that owns them: Prefetch (x86 only) and
// HasAvxTransposes (the 256- and 512-bit tiers, which on x64 imply AVX unless they run emulated in a test).

/// <summary>The V512 tier: AVX-512.</summary>
readonly unsafe struct Simd512<T> : ISimd<Vector512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Splat(T value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(T* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, Vector512<T> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Sub(Vector512<T> a, Vector512<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Mul(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Div(Vector512<T> a, Vector512<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MulAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector512.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Max(Vector512<T> a, Vector512<T> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Min(Vector512<T> a, Vector512<T> b) => Vector512.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Sqrt(Vector512<T> a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> LessThan(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> IsNaN(Vector512<T> a) => Vector512.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Select(Vector512<T> mask, Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Pow2FromShifted(Vector512<T> t, int bias)
    {
        if (typeof(T) == typeof(float))
            return ((t.AsInt32() + Vector512.Create(bias)) << 23).As<int, T>();
        return ((t.AsInt64() + Vector512.Create((long)bias)) << 52).As<long, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SplitExponent(Vector512<T> x, out Vector512<T> exponent)
    {
        if (typeof(T) == typeof(float))
        {
            Vector512<int> bits = x.AsInt32();
            Vector512<float> biased = (Vector512.ShiftRightLogical(bits, 23) | Vector512.Create(0x4B000000)).AsSingle();
            exponent = (biased - Vector512.Create(8388608f + 127f)).As<float, T>();
            return ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000)).As<int, T>();
        }
        Vector512<long> lbits = x.AsInt64();
        Vector512<double> lbiased = (Vector512.ShiftRightLogical(lbits, 52) | Vector512.Create(0x4330000000000000L)).AsDouble();
        exponent = (lbiased - Vector512.Create(4503599627370496.0 + 1023.0)).As<double, T>();
        return ((lbits & Vector512.Create(0x000FFFFFFFFFFFFFL)) | Vector512.Create(0x3FF0000000000000L)).As<long, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector512<T> v) => Vector512.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LoadWidened(float* p)
    {
        if (typeof(T) == typeof(float))
            return Vector512.Load(p).As<float, T>();
        return Vector512.WidenLower(Vector256.Load(p).ToVector512Unsafe()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(void* p)
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(p);
    }
    public static bool HasAvxTransposes => Avx.IsSupported;
}

/// <summary>The V256 tier: AVX2 + FMA.</summary>
readonly unsafe struct Simd256<T> : ISimd<Vector256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Splat(T value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(T* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, Vector256<T> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Sub(Vector256<T> a, Vector256<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Mul(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Div(Vector256<T> a, Vector256<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MulAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Max(Vector256<T> a, Vector256<T> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Min(Vector256<T> a, Vector256<T> b) => Vector256.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Sqrt(Vector256<T> a) => Vector256.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> LessThan(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> IsNaN(Vector256<T> a) => Vector256.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Select(Vector256<T> mask, Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Pow2FromShifted(Vector256<T> t, int bias)
    {
        if (typeof(T) == typeof(float))
            return ((t.AsInt32() + Vector256.Create(bias)) << 23).As<int, T>();
        return ((t.AsInt64() + Vector256.Create((long)bias)) << 52).As<long, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SplitExponent(Vector256<T> x, out Vector256<T> exponent)
    {
        if (typeof(T) == typeof(float))
        {
            Vector256<int> bits = x.AsInt32();
            Vector256<float> biased = (Vector256.ShiftRightLogical(bits, 23) | Vector256.Create(0x4B000000)).AsSingle();
            exponent = (biased - Vector256.Create(8388608f + 127f)).As<float, T>();
            return ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).As<int, T>();
        }
        Vector256<long> lbits = x.AsInt64();
        Vector256<double> lbiased = (Vector256.ShiftRightLogical(lbits, 52) | Vector256.Create(0x4330000000000000L)).AsDouble();
        exponent = (lbiased - Vector256.Create(4503599627370496.0 + 1023.0)).As<double, T>();
        return ((lbits & Vector256.Create(0x000FFFFFFFFFFFFFL)) | Vector256.Create(0x3FF0000000000000L)).As<long, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector256<T> v) => Vector256.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LoadWidened(float* p)
    {
        if (typeof(T) == typeof(float))
            return Vector256.Load(p).As<float, T>();
        return Vector256.WidenLower(Vector128.Load(p).ToVector256Unsafe()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(void* p)
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(p);
    }
    public static bool HasAvxTransposes => Avx.IsSupported;
}

/// <summary>The V128 tier: SSE4.1 on x64 (multiply-add not fused), AdvSimd on arm64 (fused).</summary>
readonly unsafe struct Simd128<T> : ISimd<Vector128<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;
    public static Vector128<T> Zero => Vector128<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Splat(T value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(T* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, Vector128<T> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Sub(Vector128<T> a, Vector128<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Mul(Vector128<T> a, Vector128<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Div(Vector128<T> a, Vector128<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MulAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Max(Vector128<T> a, Vector128<T> b) => Vector128.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Min(Vector128<T> a, Vector128<T> b) => Vector128.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Sqrt(Vector128<T> a) => Vector128.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> LessThan(Vector128<T> a, Vector128<T> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> IsNaN(Vector128<T> a) => Vector128.IsNaN(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Select(Vector128<T> mask, Vector128<T> a, Vector128<T> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Pow2FromShifted(Vector128<T> t, int bias)
    {
        if (typeof(T) == typeof(float))
            return ((t.AsInt32() + Vector128.Create(bias)) << 23).As<int, T>();
        return ((t.AsInt64() + Vector128.Create((long)bias)) << 52).As<long, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SplitExponent(Vector128<T> x, out Vector128<T> exponent)
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<int> bits = x.AsInt32();
            Vector128<float> biased = (Vector128.ShiftRightLogical(bits, 23) | Vector128.Create(0x4B000000)).AsSingle();
            exponent = (biased - Vector128.Create(8388608f + 127f)).As<float, T>();
            return ((bits & Vector128.Create(0x007FFFFF)) | Vector128.Create(0x3F800000)).As<int, T>();
        }
        Vector128<long> lbits = x.AsInt64();
        Vector128<double> lbiased = (Vector128.ShiftRightLogical(lbits, 52) | Vector128.Create(0x4330000000000000L)).AsDouble();
        exponent = (lbiased - Vector128.Create(4503599627370496.0 + 1023.0)).As<double, T>();
        return ((lbits & Vector128.Create(0x000FFFFFFFFFFFFFL)) | Vector128.Create(0x3FF0000000000000L)).As<long, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector128<T> v) => Vector128.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LoadWidened(float* p)
    {
        if (typeof(T) == typeof(float))
            return Vector128.Load(p).As<float, T>();
        return Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(p)).AsSingle()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(void* p)
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(p);
    }
    public static bool HasAvxTransposes => false;
}
