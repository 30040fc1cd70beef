using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Kernels;

/// <summary>
/// One prediction f(x) = sum_i alpha_i k(|x - x_i|_M) without any allocation or metric product per center:
/// the model keeps XM = X M and the norms |x_i|_M^2, so each center costs one dot product x . (XM)_i.
/// </summary>
static unsafe class KernelPredict
{
    /// <summary>output (c) = alpha^T k, k_i = kernel(|x|_M^2 + norms_i - 2 x . xm_i); <paramref name="scratch"/>
    /// holds n kernel values.</summary>
    public static void Predict<T>(IsaTier tier, KernelFunction kernel, T* centersM, int n, int d, T* norms, T* x, T xNorm,
        T* alpha, int c, T* output, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double l = kernel.Bandwidth;
        switch (kernel.Kind)
        {
            case KernelKind.Laplace:
                Dispatch(tier, new LaplaceTransform<T>(T.CreateTruncating(-1.0 / l)), centersM, n, d, norms, x, xNorm, scratch);
                break;
            case KernelKind.Gaussian:
                Dispatch(tier, new GaussianTransform<T>(T.CreateTruncating(-1.0 / (2 * l * l))), centersM, n, d, norms, x, xNorm, scratch);
                break;
            default:
                Dispatch(tier, new GeneralizedLaplaceTransform<T>(T.CreateTruncating(1.0 / (l * l)), T.CreateTruncating(kernel.Exponent / 2)),
                    centersM, n, d, norms, x, xNorm, scratch);
                break;
        }
        for (int q = 0; q < c; q++)
            output[q] = T.Zero;
        for (int i = 0; i < n; i++)
        {
            T k = scratch[i];
            T* a = alpha + (nint)i * c;
            for (int q = 0; q < c; q++)
                output[q] += k * a[q];
        }
    }

    static void Dispatch<T, TF>(IsaTier tier, TF f, T* centersM, int n, int d, T* norms, T* x, T xNorm, T* k)
        where T : unmanaged, IFloatingPointIeee754<T> where TF : struct, IRadialTransform<T>
    {
        switch (tier)
        {
            case IsaTier.V512: Row<Simd512<T>, Vector512<T>, T, TF>(f, centersM, n, d, norms, x, xNorm, k); break;
            case IsaTier.V256: Row<Simd256<T>, Vector256<T>, T, TF>(f, centersM, n, d, norms, x, xNorm, k); break;
            case IsaTier.V128: Row<Simd128<T>, Vector128<T>, T, TF>(f, centersM, n, d, norms, x, xNorm, k); break;
            default: Row<SimdScalar<T>, T, T, TF>(f, centersM, n, d, norms, x, xNorm, k); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Row<TS, TVec, T, TF>(TF f, T* centersM, int n, int d, T* norms, T* x, T xNorm, T* k)
        where TS : struct, ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
        where TF : struct, IRadialTransform<T>
    {
        T two = T.CreateTruncating(2.0);
        for (int i = 0; i < n; i++)
            k[i] = xNorm + norms[i] - two * RowNorms.Dot<TS, TVec, T>(centersM + (nint)i * d, x, d);
        int w = TS.Count, j = 0;
        for (; j <= n - w; j += w)
        {
            TVec d2 = TS.Load(k + j);
            TS.Store(k + j, f.Apply<TS, TVec>(TS.Select(TS.LessThan(d2, TS.Zero), TS.Zero, d2)));
        }
        for (; j < n; j++)
        {
            T d2 = k[j] < T.Zero ? T.Zero : k[j];
            k[j] = f.Apply<SimdScalar<T>, T>(d2);
        }
    }
}
