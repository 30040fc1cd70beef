using System.Numerics;

namespace RfmFast.Core.Kernels;

/// <summary>Code that runs with a kernel's radial transform as a generic struct argument (so each kernel gets
/// its own fully inlined loop): the visitor half of <see cref="KernelTransforms.With"/>.</summary>
interface IRadialTransformUser<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Use<TF>(TF transform) where TF : struct, IRadialTransform<T>;
}

/// <summary>The one place that maps a <see cref="KernelFunction"/> to the transform of the squared distance
/// that evaluates it (the AGOP's gradient weights are a different family, mapped in Agop).</summary>
static class KernelTransforms
{
    /// <summary>Calls <paramref name="user"/> with the transform r^2 -> k(r) of <paramref name="kernel"/>.</summary>
    public static void With<T, TUser>(KernelFunction kernel, ref TUser user)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUser : struct, IRadialTransformUser<T>, allows ref struct
    {
        double l = kernel.Bandwidth;
        switch (kernel.Kind)
        {
            case KernelKind.Laplace:
                user.Use(new LaplaceTransform<T>(T.CreateTruncating(-1.0 / l)));
                break;
            case KernelKind.Gaussian:
                user.Use(new GaussianTransform<T>(T.CreateTruncating(-1.0 / (2 * l * l))));
                break;
            default:
                user.Use(new GeneralizedLaplaceTransform<T>(T.CreateTruncating(1.0 / (l * l)), T.CreateTruncating(kernel.Exponent / 2)));
                break;
        }
    }
}
