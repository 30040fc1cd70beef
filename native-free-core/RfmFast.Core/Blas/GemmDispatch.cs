using System.Numerics;
using RfmFast.Core.Simd;

namespace RfmFast.Core.Level3;

/// <summary>Runs the loop nest instantiated for a tier, chosen once per call by <see cref="TierDispatch"/>.</summary>
static class GemmDispatch
{
    public static void Run<T, TEpi>(IsaTier tier, in GemmProblem<T> p, in TEpi epi, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TEpi : struct, IGemmEpilogue<T>
    {
        var user = new User<T, TEpi>(p, epi, workers);
        TierDispatch.Run<T, User<T, TEpi>>(tier, ref user);
    }

    readonly struct User<T, TEpi>(GemmProblem<T> p, TEpi epi, int workers) : ITierUser<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TEpi : struct, IGemmEpilogue<T>
    {
        readonly GemmProblem<T> _p = p;
        readonly TEpi _epi = epi;

        public void Use<TS, TVec>() where TS : struct, ISimd<TVec, T> where TVec : struct =>
            GemmDriver<TS, TVec, T, TEpi>.Run(_p, _epi, workers);
    }
}
