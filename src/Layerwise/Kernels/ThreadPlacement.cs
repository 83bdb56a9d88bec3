using System;
using System.Runtime.InteropServices;

namespace Layerwise.Kernels;

/// <summary>
/// The processor a thread runs on, and moving a thread off one processor, for the kernel workers on Linux. Elsewhere
/// they report that they cannot help, and the workers run where the scheduler puts them.
/// </summary>
/// <remarks>
/// A worker woken by the calling thread can be placed on the caller's own processor and stay there, both threads
/// taking turns on one core while the other core idles. On the 2-core Linux machine the kernels were tuned on, this
/// happened for seconds at a time, and a product split in two then took as long as on one thread. A worker that finds
/// itself on the caller's processor moves off it.
/// </remarks>
internal static unsafe partial class ThreadPlacement
{
    /// <summary>Bytes of a Linux processor set: 1,024 processors, as glibc's cpu_set_t.</summary>
    private const int SetBytes = 128;

    /// <summary>Returns the processor the calling thread runs on, or -1 where that is not known.</summary>
    public static int CurrentProcessor()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        try
        {
            return SchedGetCpu();
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Returns the processors the calling thread may run on, as a Linux processor set, or null where that is not
    /// known. A worker reads it once at its start, before any move narrows it.
    /// </summary>
    public static byte[]? AllowedProcessors()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var set = new byte[SetBytes];
        try
        {
            fixed (byte* pointer = set)
            {
                return SchedGetAffinity(0, SetBytes, pointer) == 0 ? set : null;
            }
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Restricts the calling thread to the processors of <paramref name="allowed"/> less <paramref name="processor"/>,
    /// which moves it off that processor. Returns false, changing nothing, where that is not possible: no set of
    /// allowed processors, or no other processor in it.
    /// </summary>
    public static bool MoveOff(int processor, byte[]? allowed)
    {
        if (allowed is null || processor < 0 || processor >= SetBytes * 8)
        {
            return false;
        }

        byte* set = stackalloc byte[SetBytes];
        new ReadOnlySpan<byte>(allowed).CopyTo(new Span<byte>(set, SetBytes));
        set[processor / 8] &= (byte)~(1 << (processor % 8));
        for (int i = 0; i < SetBytes; i++)
        {
            if (set[i] != 0)
            {
                return SchedSetAffinity(0, SetBytes, set) == 0;
            }
        }

        return false;
    }

    /// <summary>
    /// Restricts the calling thread to <paramref name="processor"/> alone, for tests that need two threads on one
    /// processor. They call it on a thread of their own, which the restriction ends with. Returns false where that is
    /// not possible.
    /// </summary>
    public static bool PinTo(int processor)
    {
        if (!OperatingSystem.IsLinux() || processor < 0 || processor >= SetBytes * 8)
        {
            return false;
        }

        byte* set = stackalloc byte[SetBytes];
        new Span<byte>(set, SetBytes).Clear();
        set[processor / 8] = (byte)(1 << (processor % 8));
        try
        {
            return SchedSetAffinity(0, SetBytes, set) == 0;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_getcpu")]
    private static partial int SchedGetCpu();

    [LibraryImport("libc", EntryPoint = "sched_getaffinity")]
    private static partial int SchedGetAffinity(int threadId, nint setBytes, byte* set);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static partial int SchedSetAffinity(int threadId, nint setBytes, byte* set);
}
