using System.Numerics;
using System.Runtime.CompilerServices;

namespace RfmFast.Core.Simd;

/// <summary>
/// Elementwise transcendental functions written once over <see cref="ISimd{TVec, T}"/>.
/// </summary>
/// <remarks>
/// <para><b>exp.</b> Cody-Waite range reduction x = n ln2 + r with |r| &lt;= ln2/2 (n found with the
/// 1.5 * 2^p shifter, so no float-to-int conversion is needed, which AVX2 lacks for doubles), a Taylor
/// polynomial of degree 7 (float) or 13 (double) whose truncation error is below 6e-9 (float) and
/// 5e-18 (double) relative on that interval, and scaling by 2^(n-1) * 2 built in the exponent field.</para>
/// <para>Documented maximum error, checked on every tier by the property test <c>ElementwiseAccuracy</c>
/// (a sweep of 400001 points over the whole range): exp float within 2 ulp of the exact value (measured
/// 1.70), exp double within 3 ulp of Math.Exp (measured 2.0); log float and double within 3 ulp (measured
/// 2.77 and 3.0). Special cases: NaN gives
/// NaN; x above ln(max) (88.72 float, 709.78 double) gives +infinity; results below 2^-125 (float,
/// x &lt; -86.98) or 2^-1021 (double, x &lt; -708.0) are flushed to 0 (absolute error below 2.4e-38 and
/// 4.5e-308: the subnormal range is not produced).</para>
/// </remarks>
static class VectorMath
{
    // Exact as a float / double: n * Ln2Hi has no rounding error for the n this range produces.
    const double Ln2HiF = 0.693359375;
    const double Ln2LoF = -2.12194440e-4;
    const double Ln2HiD = 6.93147180369123816490e-01;
    const double Ln2LoD = 1.90821492927058770002e-10;
    const double Log2E = 1.4426950408889634;

    /// <summary>The largest argument whose exp is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpOverflow<T>() where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(88.72283905206835) : T.CreateTruncating(709.782712893384);

    /// <summary>Below this argument exp flushes to 0 (the result would need 2^-126 or 2^-1022 scaling).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpUnderflow<T>() where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(-86.98) : T.CreateTruncating(-708.0);

    /// <summary>e^x lane-wise; accuracy and special cases as in the class remarks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Exp<TS, TVec, T>(TVec x)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TVec hi = TS.Splat(ExpOverflow<T>());
        TVec lo = TS.Splat(ExpUnderflow<T>());
        TVec y = ScaledPolynomial<TS, TVec, T>(TS.Min(TS.Max(x, lo), hi));
        y = TS.Select(TS.LessThan(x, lo), TS.Zero, y);
        y = TS.Select(TS.LessThan(hi, x), TS.Splat(T.PositiveInfinity), y);
        return TS.Select(TS.IsNaN(x), x, y);
    }

    /// <summary>
    /// Natural log lane-wise: x = 2^e m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s) with
    /// s = (m - 1) / (m + 1), |s| &lt;= 0.172, by its odd series (5 terms float, 12 double; truncation below
    /// 2e-9 and 1e-18 relative). x = 0 and x below the smallest normal give -infinity (subnormals are
    /// treated as 0); x &lt; 0 gives NaN; +infinity and NaN pass through.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Log<TS, TVec, T>(TVec x)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool isFloat = typeof(T) == typeof(float);
        TVec m = TS.SplitExponent(x, out TVec e);
        // Move m from [sqrt2, 2) down to [sqrt2/2, 1) so that |s| stays small.
        TVec big = TS.LessThan(TS.Splat(T.CreateTruncating(1.4142135623730951)), m);
        m = TS.Select(big, TS.Mul(m, TS.Splat(T.CreateTruncating(0.5))), m);
        e = TS.Select(big, TS.Add(e, TS.Splat(T.One)), e);

        TVec one = TS.Splat(T.One);
        TVec s = TS.Div(TS.Sub(m, one), TS.Add(m, one));
        TVec s2 = TS.Mul(s, s);
        TVec p;
        if (isFloat)
        {
            p = TS.Splat(T.CreateTruncating(1.0 / 9));
            p = TS.MulAdd(p, s2, TS.Splat(T.CreateTruncating(1.0 / 7)));
            p = TS.MulAdd(p, s2, TS.Splat(T.CreateTruncating(1.0 / 5)));
            p = TS.MulAdd(p, s2, TS.Splat(T.CreateTruncating(1.0 / 3)));
        }
        else
        {
            p = TS.Splat(T.CreateTruncating(1.0 / 23));
            for (int k = 21; k >= 3; k -= 2)
                p = TS.MulAdd(p, s2, TS.Splat(T.One / T.CreateTruncating(k)));
        }
        p = TS.MulAdd(p, s2, one);
        TVec logm = TS.Mul(TS.Add(s, s), p);
        // e ln2 in two parts, so that the rounding of ln2 is not multiplied by e (up to 1023).
        TVec y = TS.MulAdd(e, TS.Splat(T.CreateTruncating(isFloat ? Ln2LoF : Ln2LoD)), logm);
        y = TS.MulAdd(e, TS.Splat(T.CreateTruncating(isFloat ? Ln2HiF : Ln2HiD)), y);

        TVec minNormal = TS.Splat(isFloat ? T.CreateTruncating(1.1754943508222875e-38) : T.CreateTruncating(2.2250738585072014e-308));
        y = TS.Select(TS.LessThan(x, minNormal), TS.Splat(T.NegativeInfinity), y);
        y = TS.Select(TS.LessThan(x, TS.Zero), TS.Splat(T.NaN), y);
        y = TS.Select(TS.LessThan(TS.Splat(isFloat ? T.CreateTruncating(float.MaxValue) : T.CreateTruncating(double.MaxValue)), x), x, y);
        return TS.Select(TS.IsNaN(x), x, y);
    }

    /// <summary>
    /// e^x for x &lt;= 0 or NaN, the kernel functions' case: the same reduction and polynomial as
    /// <see cref="Exp{TS, TVec, T}"/> without the overflow clamp and checks. NaN propagates through the
    /// arithmetic; x below the underflow threshold (and -infinity) gives 0. Positive x is not supported.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ExpNonPositive<TS, TVec, T>(TVec x)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TVec lo = TS.Splat(ExpUnderflow<T>());
        TVec y = ScaledPolynomial<TS, TVec, T>(x);
        return TS.Select(TS.LessThan(x, lo), TS.Zero, y);
    }

    /// <summary>The shared core of exp: reduction, polynomial and scaling, with no special cases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ScaledPolynomial<TS, TVec, T>(TVec x)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool isFloat = typeof(T) == typeof(float);
        // t = x log2(e) + 1.5 * 2^p: adding the shifter rounds to an integer n kept in t's low bits.
        TVec shifter = TS.Splat(isFloat ? T.CreateTruncating(12582912.0) : T.CreateTruncating(6755399441055744.0));
        TVec t = TS.MulAdd(x, TS.Splat(T.CreateTruncating(Log2E)), shifter);
        TVec n = TS.Sub(t, shifter);
        TVec r = TS.MulAdd(n, TS.Splat(T.CreateTruncating(isFloat ? -Ln2HiF : -Ln2HiD)), x);
        r = TS.MulAdd(n, TS.Splat(T.CreateTruncating(isFloat ? -Ln2LoF : -Ln2LoD)), r);
        TVec p = isFloat ? PolyF<TS, TVec, T>(r) : PolyD<TS, TVec, T>(r);
        // 2^(n-1) * 2 rather than 2^n, so that n = 128 (x near ln(FLT_MAX)) still has an exponent field.
        TVec y = TS.Mul(p, TS.Pow2FromShifted(t, isFloat ? 126 : 1022));
        return TS.Add(y, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec PolyF<TS, TVec, T>(TVec r)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TVec p = TS.Splat(T.CreateTruncating(1.0 / 5040));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 720)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 120)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 24)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 6)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(0.5)));
        p = TS.MulAdd(p, r, TS.Splat(T.One));
        return TS.MulAdd(p, r, TS.Splat(T.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec PolyD<TS, TVec, T>(TVec r)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TVec p = TS.Splat(T.CreateTruncating(1.0 / 6227020800));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 479001600)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 39916800)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 3628800)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 362880)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 40320)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 5040)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 720)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 120)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 24)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(1.0 / 6)));
        p = TS.MulAdd(p, r, TS.Splat(T.CreateTruncating(0.5)));
        p = TS.MulAdd(p, r, TS.Splat(T.One));
        return TS.MulAdd(p, r, TS.Splat(T.One));
    }
}
