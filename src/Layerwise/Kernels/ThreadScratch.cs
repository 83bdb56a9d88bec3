using System;

namespace Layerwise.Kernels;

/// <summary>
/// Per-thread scratch arrays of the matrix kernels. Each grows to the largest size a thread has asked for and is kept,
/// so the kernels allocate only while a thread meets larger layers than before.
/// </summary>
internal static class ThreadScratch<T>
{
    [ThreadStatic]
    private static T[]? t_coefficients;

    [ThreadStatic]
    private static T[]? t_panel;

    [ThreadStatic]
    private static T[]? t_transposed;

    [ThreadStatic]
    private static T[]? t_band;

    [ThreadStatic]
    private static T[]? t_bandOutputs;

    /// <summary>Returns the array that packed coefficients go into, at least <paramref name="length"/> long.</summary>
    public static T[] Coefficients(int length) => Rent(ref t_coefficients, length);

    /// <summary>Returns the array that a panel of the other operand is copied into, at least <paramref name="length"/> long.</summary>
    public static T[] Panel(int length) => Rent(ref t_panel, length);

    /// <summary>Returns the array that transposed weights go into, at least <paramref name="length"/> long.</summary>
    public static T[] Transposed(int length) => Rent(ref t_transposed, length);

    /// <summary>
    /// Returns the array that one part of a split product keeps its own band of an operand in, at least
    /// <paramref name="length"/> long. Each thread writes only its own, never a share of another thread's array.
    /// </summary>
    public static T[] Band(int length) => Rent(ref t_band, length);

    /// <summary>
    /// Returns the array that one part of a split product sums its band of outputs in before it copies them out, at
    /// least <paramref name="length"/> long.
    /// </summary>
    public static T[] BandOutputs(int length) => Rent(ref t_bandOutputs, length);

    private static T[] Rent(ref T[]? slot, int length)
    {
        if (slot is null || slot.Length < length)
        {
            slot = new T[length];
        }

        return slot;
    }
}
