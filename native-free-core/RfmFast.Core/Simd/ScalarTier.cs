using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RfmFast.Core.Simd;

/// <summary>The Scalar tier: one lane, plain floating-point code, no intrinsics. It is also the
/// shape the property tests' references take, so it is kept free of tricks.</summary>
readonly unsafe struct SimdScalar<T> : ISimd<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;
    public static T Zero => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Splat(T value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(T* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, T v) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Add(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sub(T a, T b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Mul(T a, T b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Div(T a, T b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T MulAdd(T a, T b, T c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Max(T a, T b) => a > b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Min(T a, T b) => a < b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sqrt(T a) => T.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T LessThan(T a, T b) => a < b ? AllOnes : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T IsNaN(T a) => T.IsNaN(a) ? AllOnes : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Select(T mask, T a, T b) => T.IsNaN(mask) ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Pow2FromShifted(T t, int bias)
    {
        if (typeof(T) == typeof(float))
        {
            int bits = (BitConverter.SingleToInt32Bits(Unsafe.As<T, float>(ref t)) + bias) << 23;
            float f = BitConverter.Int32BitsToSingle(bits);
            return Unsafe.As<float, T>(ref f);
        }
        long lbits = (BitConverter.DoubleToInt64Bits(Unsafe.As<T, double>(ref t)) + bias) << 52;
        double d = BitConverter.Int64BitsToDouble(lbits);
        return Unsafe.As<double, T>(ref d);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SplitExponent(T x, out T exponent)
    {
        // Same bit layout as the vector tiers, so every tier treats subnormals and zero alike.
        if (typeof(T) == typeof(float))
        {
            int bits = BitConverter.SingleToInt32Bits(Unsafe.As<T, float>(ref x));
            float e = (bits >>> 23) - 127f;
            float m = BitConverter.Int32BitsToSingle((bits & 0x007FFFFF) | 0x3F800000);
            exponent = Unsafe.As<float, T>(ref e);
            return Unsafe.As<float, T>(ref m);
        }
        long lbits = BitConverter.DoubleToInt64Bits(Unsafe.As<T, double>(ref x));
        double de = (lbits >>> 52) - 1023.0;
        double dm = BitConverter.Int64BitsToDouble((lbits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        exponent = Unsafe.As<double, T>(ref de);
        return Unsafe.As<double, T>(ref dm);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(T v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T LoadWidened(float* p) => T.CreateTruncating(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Prefetch(void* p) { }
    public static bool HasAvxTransposes => false;

    // A mask lane is all ones, which as a float is a NaN; Select tests for that.
    static T AllOnes => T.NaN;
}
