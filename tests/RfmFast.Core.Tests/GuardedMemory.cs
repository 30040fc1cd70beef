using System;
using System.Runtime.InteropServices;

namespace RfmFast.Core.Tests;

/// <summary>
/// A buffer of <typeparamref name="T"/> with an inaccessible page right after its last element (or right before
/// its first), like TensorPrimitives' BoundedMemory: a routine that reads or writes one element past the span
/// it was given kills the test process with SIGSEGV instead of passing by luck. Linux only (mmap/mprotect).
/// </summary>
sealed unsafe class GuardedMemory<T> : IDisposable where T : unmanaged
{
    const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymous = 0x20;

    readonly nint _base;
    readonly nuint _bytes;
    readonly T* _data;

    public GuardedMemory(int length, bool guardAfter)
    {
        Length = length;
        long page = Environment.SystemPageSize;
        long dataBytes = (long)length * sizeof(T);
        long dataPages = Math.Max(1, (dataBytes + page - 1) / page);
        _bytes = (nuint)((dataPages + 2) * page);
        _base = LibC.Mmap(0, _bytes, ProtNone, MapPrivate | MapAnonymous, -1, 0);
        if (_base == -1)
            throw new InvalidOperationException($"mmap failed: errno {Marshal.GetLastPInvokeError()}");
        if (LibC.Mprotect(_base + (nint)page, (nuint)(dataPages * page), ProtRead | ProtWrite) != 0)
            throw new InvalidOperationException($"mprotect failed: errno {Marshal.GetLastPInvokeError()}");
        // Pages: [guard][data ...][guard]. Put the elements flush against the guard that should catch overruns.
        byte* first = (byte*)_base + page;
        _data = guardAfter ? (T*)(first + dataPages * page - dataBytes) : (T*)first;
    }

    public int Length { get; }

    public Span<T> Span => new(_data, Length);

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Addresses of the first element and one past the last, for the self-test.</summary>
    internal nint Start => (nint)_data;
    internal nint End => (nint)(_data + Length);

    public void Dispose()
    {
        _ = LibC.Munmap(_base, _bytes);
    }
}

static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    public static partial int Mprotect(nint addr, nuint length, int prot);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);
}
