using System;

namespace RfmFast.Core;

/// <summary>
/// A 64-byte-aligned buffer of <typeparamref name="T"/> rented from the core's pool. Dispose it
/// (<c>using var buf = PooledBuffer&lt;float&gt;.Rent(n);</c>) to give the memory back; the contents
/// of a fresh rental are undefined unless <c>clear</c> was passed to <see cref="Rent"/>.
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
public unsafe struct PooledBuffer<T> : IDisposable where T : unmanaged
{
    void* _block;
    int _bucket;

    /// <summary>The number of usable elements.</summary>
    public int Length { get; private set; }

    /// <summary>Rents a buffer of <paramref name="length"/> elements.</summary>
    /// <param name="length">The number of elements; 0 gives an empty buffer.</param>
    /// <param name="clear">Zero the elements before returning.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static PooledBuffer<T> Rent(int length, bool clear = false)
    {
        if (length < 0)
            ThrowHelper.ArgumentOutOfRange(nameof(length), "Length must be non-negative.");
        var b = new PooledBuffer<T> { Length = length };
        if (length > 0)
        {
            b._block = AlignedBlockPool.Rent((long)length * sizeof(T), out b._bucket);
            if (clear)
                new Span<T>(b._block, length).Clear();
        }
        return b;
    }

    /// <summary>The elements as a span (empty after <see cref="Dispose"/>).</summary>
    public readonly Span<T> Span => _block == null ? Span<T>.Empty : new Span<T>(_block, Length);

    /// <summary>A pointer to the first element; 64-byte aligned. Valid until <see cref="Dispose"/>.</summary>
    internal readonly T* Pointer => (T*)_block;

    /// <summary>Returns the memory to the pool. Safe to call twice on the same variable; disposing a copy
    /// after the original (or the original after a copy) throws <see cref="InvalidOperationException"/>
    /// instead of handing the same memory to two later renters.</summary>
    /// <exception cref="InvalidOperationException">This buffer's memory was already returned through a copy.</exception>
    public void Dispose()
    {
        void* block = _block;
        _block = null;
        Length = 0;
        AlignedBlockPool.Return(block, _bucket);
    }
}
