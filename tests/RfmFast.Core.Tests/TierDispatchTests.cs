using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using RfmFast.Core.Kernels;
using RfmFast.Core.Level3;
using RfmFast.Core.Linalg;
using RfmFast.Core.Simd;
using Xunit;

namespace RfmFast.Core.Tests;

/// <summary>
/// The one tier dispatcher (<see cref="TierDispatch"/>): a value outside <see cref="IsaTier"/> fails the same way
/// from every routine that takes a tier, and the tier-dependent helpers below the kernels (packing by in-register
/// transposes, the triangle mirror) follow the tier they are given, not the hardware.
/// </summary>
public sealed class TierDispatchTests
{
    const IsaTier Unknown = (IsaTier)99;

    /// <summary>Every routine that takes a tier, called with <see cref="Unknown"/> on small valid inputs.</summary>
    public static TheoryData<string> Routines => new(s_routines.Keys);

    static readonly Dictionary<string, Action> s_routines = new()
    {
        ["Blas.Gemm"] = () => Blas.Gemm<float>(Unknown, 1, Transpose.No, Transpose.No, 1f, Square(8), Square(8), 0f, Square(8)),
        ["Blas.Syrk"] = () => Blas.Syrk<double>(Unknown, 1, Transpose.No, 1.0, SquareD(8), 0.0, SquareD(8)),
        ["KernelMatrix.Compute"] = () => KernelMatrix.Compute<float>(Unknown, 1, KernelFunction.Laplace(1), Square(8), Square(8), default, false, Square(8)),
        ["Distances.Squared"] = () => Distances.Squared<float>(Unknown, 1, Square(8), Square(8), default, false, Square(8)),
        ["Agop.Compute"] = () => Agop.Compute<float>(Unknown, 1, KernelFunction.Laplace(1), Square(8), new ReadOnlyMatrixView<float>(new float[8], 8, 1),
            Identity(8), default, Square(8), false, default),
        ["Cholesky.Factor"] = () => Cholesky.Factor<float>(Unknown, 1, Identity(8)),
        ["Cholesky.FactorWithJitter"] = () => Cholesky.FactorWithJitter<double>(Unknown, 1, IdentityD(8), 1e-7, 2),
        ["Cholesky.Solve"] = () => Cholesky.Solve<float>(Unknown, 1, Identity(8), Square(8)),
        ["Cholesky.SolveTriangular"] = () => Cholesky.SolveTriangular<double>(Unknown, 1, IdentityD(8), Transpose.Yes, SquareD(8)),
        ["SpdSolver.Solve"] = () => SpdSolver.Solve(Unknown, 1, Identity(8), Square(8), new MatrixView<double>(new double[64], 8, 8), SolvePrecision.Mixed),
        ["SymmetricEigen.Decompose"] = () => SymmetricEigen.Decompose<double>(Unknown, 1, IdentityD(8), new double[8], SquareD(8)),
        ["SymmetricEigen.Values"] = () => SymmetricEigen.Values<double>(Unknown, 1, IdentityD(8), new double[8]),
        ["SymmetricEigen.Top"] = () => SymmetricEigen.Top<double>(Unknown, 1, IdentityD(64), 2, new double[2], new MatrixView<double>(new double[128], 64, 2)),
        ["SymmetricEigen.Power"] = () => SymmetricEigen.Power<float>(Unknown, 1, Identity(8), 0.5f, Square(8)),
        ["Elementwise.Exp"] = () => Elementwise.Exp<float>(Unknown, new float[8], new float[8]),
        ["Elementwise.Log"] = () => Elementwise.Log<double>(Unknown, new double[8], new double[8]),
        ["KernelPredict.MapQuery"] = MapQuery,
        ["KernelPredict.Predict"] = Predict,
    };

    [Theory, MemberData(nameof(Routines))]
    public void An_unknown_tier_throws_the_same_exception_everywhere(string routine)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(s_routines[routine]);
        Assert.Equal("tier", e.ParamName);
        Assert.Contains("99 is not an ISA tier", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_256_and_512_bit_tiers_pack_by_AVX_transposes()
    {
        Assert.False(SimdScalar<float>.HasAvxTransposes);
        Assert.False(Simd128<float>.HasAvxTransposes);
        Assert.False(Simd128<double>.HasAvxTransposes);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx.IsSupported, Simd256<float>.HasAvxTransposes);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx.IsSupported, Simd512<double>.HasAvxTransposes);
    }

    /// <summary>Packing is a copy, so every tier must produce the same panels: the V256 tier through the AVX
    /// transposes (where the process has AVX), the V128 and Scalar tiers element by element.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public unsafe void Packing_gives_the_same_panels_on_every_tier(bool trans)
    {
        const int rows = 30, cols = 40, ld = 43, kc = 37, mc = 25, mr = 6, nc = 33, nr = 16;
        float[] src = TestData.Uniform<float>(rows * ld + cols * ld, 5);
        float[] a128 = new float[(mc + mr) * kc], a256 = new float[(mc + mr) * kc], aScalar = new float[(mc + mr) * kc];
        float[] b128 = new float[(nc + nr) * kc], b256 = new float[(nc + nr) * kc], bScalar = new float[(nc + nr) * kc];
        fixed (float* s = src, pa128 = a128, pa256 = a256, paS = aScalar, pb128 = b128, pb256 = b256, pbS = bScalar)
        {
            Packing<Simd128<float>, Vector128<float>, float>.PackA(s, ld, trans, 2, 1, mc, kc, mr, pa128);
            Packing<Simd256<float>, Vector256<float>, float>.PackA(s, ld, trans, 2, 1, mc, kc, mr, pa256);
            Packing<SimdScalar<float>, float, float>.PackA(s, ld, trans, 2, 1, mc, kc, mr, paS);
            Packing<Simd128<float>, Vector128<float>, float>.PackB(s, ld, trans, 1, 2, kc, nc, nr, pb128);
            Packing<Simd256<float>, Vector256<float>, float>.PackB(s, ld, trans, 1, 2, kc, nc, nr, pb256);
            Packing<SimdScalar<float>, float, float>.PackB(s, ld, trans, 1, 2, kc, nc, nr, pbS);
        }
        Assert.Equal(a256, a128);
        Assert.Equal(a256, aScalar);
        Assert.Equal(b256, b128);
        Assert.Equal(b256, bScalar);
    }

    /// <summary>The mirror on a lowered tier (V128: no transposes) gives exactly what the best tier gives. In the
    /// RFMFAST_FORCE_TIER=V128 leg <see cref="Isa.Best"/> is V128 itself, so the public solve takes that path.</summary>
    [Fact]
    public unsafe void The_mirror_follows_the_tier_it_is_given()
    {
        const int n = 150, ld = 153;
        float[] a = TestData.Uniform<float>(n * ld, 9), b = (float[])a.Clone();
        fixed (float* pa = a, pb = b)
        {
            TriangleMirror.LowerToUpper(IsaTier.V128, pa, ld, n);
            TriangleMirror.LowerToUpper(Isa.Best, pb, ld, n);
        }
        Assert.Equal(b, a);
    }

    static MatrixView<float> Square(int n) => new(TestData.Uniform<float>(n * n, n), n, n);

    static MatrixView<double> SquareD(int n) => new(TestData.Uniform<double>(n * n, n), n, n);

    static MatrixView<float> Identity(int n)
    {
        var m = new float[n * n];
        for (int i = 0; i < n; i++)
            m[i * n + i] = 1;
        return new MatrixView<float>(m, n, n);
    }

    static MatrixView<double> IdentityD(int n)
    {
        var m = new double[n * n];
        for (int i = 0; i < n; i++)
            m[i * n + i] = 1;
        return new MatrixView<double>(m, n, n);
    }

    static unsafe void MapQuery()
    {
        float* x = stackalloc float[4], f = stackalloc float[16], z = stackalloc float[4];
        KernelPredict.MapQuery(Unknown, x, f, 4, 4, z);
    }

    static unsafe void Predict()
    {
        const int n = 10, d = 4;
        var packed = new PackedCenters<float>(new float[n * d], new float[n], n, d);
        float* x = stackalloc float[d], alpha = stackalloc float[n], output = stackalloc float[1];
        float* scratch = stackalloc float[PackedCenters<float>.Panel + KernelPredict.Chunks(n)];
        KernelPredict.Predict(Unknown, KernelFunction.Laplace(1), packed, x, 0f, alpha, 1, output, scratch);
    }
}
