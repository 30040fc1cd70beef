using System;
using System.Numerics;
using CommunityToolkit.HighPerformance;

namespace RfmFast;

/// <summary>
/// One of the accepted shapes of caller rows (a 2-D array, a jagged array, or a 2-D span over any memory),
/// or nothing; converted once into the fit's precision by <see cref="ToDense{T}"/>. Lets every public
/// overload funnel into one code path.
/// </summary>
internal readonly ref struct RowsInput<TIn> where TIn : unmanaged, IFloatingPointIeee754<TIn>
{
    readonly TIn[,]? _array;
    readonly TIn[][]? _jagged;
    readonly ReadOnlySpan2D<TIn> _span;
    readonly int _kind; // 0 none, 1 array, 2 jagged, 3 span

    public RowsInput(TIn[,]? array)
    {
        _array = array;
        _kind = array is null ? 0 : 1;
    }

    public RowsInput(TIn[][]? jagged)
    {
        _jagged = jagged;
        _kind = jagged is null ? 0 : 2;
    }

    /// <summary>A span; <paramref name="present"/> false (an optional argument left at default) means none.</summary>
    public RowsInput(ReadOnlySpan2D<TIn> span, bool present)
    {
        _span = span;
        _kind = present ? 3 : 0;
    }

    public bool IsNone => _kind == 0;

    /// <summary>The rows in precision T, validated (null for none; throws naming <paramref name="paramName"/>).</summary>
    public DenseData<T>? ToDense<T>(string paramName, bool allowEmpty = false) where T : unmanaged, IFloatingPointIeee754<T> => _kind switch
    {
        1 => DenseData<T>.From(_array!, paramName, allowEmpty),
        2 => DenseData<T>.From(_jagged!, paramName, allowEmpty),
        3 => DenseData<T>.From(_span, paramName, allowEmpty),
        _ => null,
    };

    /// <summary>Like <see cref="ToDense{T}"/> for a required argument: none is an <see cref="ArgumentNullException"/>.</summary>
    public DenseData<T> Required<T>(string paramName, bool allowEmpty = false) where T : unmanaged, IFloatingPointIeee754<T> =>
        ToDense<T>(paramName, allowEmpty) ?? throw new ArgumentNullException(paramName);
}
