using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>The vectorized loop that applies an <see cref="IBinaryOperator{T}"/> over spans.</summary>
internal static class Elementwise
{
    /// <summary>
    /// Writes <c>TOperator.Invoke(x[i], y[i])</c> to <c>destination[i]</c>. The destination may be
    /// <paramref name="x"/> or <paramref name="y"/> itself because each element is read before it is written.
    /// The caller guarantees equal lengths.
    /// </summary>
    public static void Apply<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator<T>
    {
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T yRef = ref MemoryMarshal.GetReference(y);
        ref T dRef = ref MemoryMarshal.GetReference(destination);
        int length = destination.Length;
        int i = 0;

        // Widest accelerated width first; the narrower loops then only see what is left over.
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, (nuint)i), Vector512.LoadUnsafe(ref yRef, (nuint)i))
                    .StoreUnsafe(ref dRef, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, (nuint)i), Vector256.LoadUnsafe(ref yRef, (nuint)i))
                    .StoreUnsafe(ref dRef, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            for (; i <= length - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, (nuint)i), Vector128.LoadUnsafe(ref yRef, (nuint)i))
                    .StoreUnsafe(ref dRef, (nuint)i);
            }
        }

        // Less than one 128-bit vector remains: a scalar tail is cheaper than a masked or overlapping vector.
        for (; i < length; i++)
        {
            Unsafe.Add(ref dRef, i) = TOperator.Invoke(Unsafe.Add(ref xRef, i), Unsafe.Add(ref yRef, i));
        }
    }
}
