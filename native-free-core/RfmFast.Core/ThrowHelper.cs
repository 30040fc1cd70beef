using System;
using System.Diagnostics.CodeAnalysis;

namespace RfmFast.Core;

/// <summary>Throw sites kept out of line so that the methods that validate stay small enough to inline.</summary>
static class ThrowHelper
{
    [DoesNotReturn]
    public static void ArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void Argument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    /// <summary>The checks of a public entry point generic over the element type with an explicit worker count.</summary>
    public static void CheckElementAndWorkers<T>(int workers)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            NotSupportedElementType(typeof(T));
        if (workers < 1)
            ArgumentOutOfRange(nameof(workers), $"The worker count is {workers}; it must be at least 1.");
    }

    [DoesNotReturn]
    public static void NotSupportedElementType(Type type) =>
        throw new NotSupportedException($"The core supports float and double only, not {type.Name}.");
}
