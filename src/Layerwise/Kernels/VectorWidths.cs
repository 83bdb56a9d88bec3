using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>The register widths the matrix products are compiled for.</summary>
internal enum VectorWidth
{
    /// <summary>One value per register: the fallback where the processor has no vector unit the runtime uses.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (SSE, Arm AdvSimd).</summary>
    Bits128 = 128,

    /// <summary>256-bit vectors (AVX2).</summary>
    Bits256 = 256,

    /// <summary>512-bit vectors (AVX-512), used where the runtime reports them accelerated.</summary>
    Bits512 = 512,
}

/// <summary>
/// The operations the matrix products need from one register width. The kernels are generic over an implementing
/// struct, so the JIT compiles one copy per width with every call inlined, and one body of code serves all four.
/// </summary>
/// <typeparam name="TVector">The register type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>,
/// <see cref="Vector128{T}"/>, or T itself.</typeparam>
/// <typeparam name="T">The element type.</typeparam>
internal unsafe interface IVectorWidth<TVector, T>
    where TVector : unmanaged
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Gets the number of values per register.</summary>
    static abstract int Count { get; }

    /// <summary>Loads <see cref="Count"/> values from an address of any alignment.</summary>
    static abstract TVector Load(T* source);

    /// <summary>Stores <see cref="Count"/> values at an address of any alignment.</summary>
    static abstract void Store(TVector value, T* destination);

    /// <summary>Returns a register with every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(T value);

    /// <summary>Returns a · b + c lane by lane, fused where <see cref="VectorMath.IsFused"/>.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>Returns the sum of the lanes in a fixed order.</summary>
    static abstract T Sum(TVector value);
}

/// <summary>512-bit registers.</summary>
internal readonly unsafe struct Vector512Width<T> : IVectorWidth<Vector512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => VectorMath.MultiplyAdd(a, b, c);

    /// <summary>Adds the two 256-bit halves, then sums as <see cref="Vector256Width{T}.Sum"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector256Width<T>.Sum(Fold(value));

    /// <summary>Returns the lane-wise sum of the two halves, the first step of every reduction of this width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fold(Vector512<T> value) => value.GetLower() + value.GetUpper();
}

/// <summary>256-bit registers.</summary>
internal readonly unsafe struct Vector256Width<T> : IVectorWidth<Vector256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => VectorMath.MultiplyAdd(a, b, c);

    /// <summary>For float, the order of <see cref="LaneSums.Reduce8"/>; otherwise the runtime's own sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value)
    {
        if (typeof(T) == typeof(float) && LaneSums.IsPairwise)
        {
            Vector256<float> wide = value.As<T, float>();
            return Unsafe.BitCast<float, T>(LaneSums.Reduce8(wide, wide, wide, wide, wide, wide, wide, wide).GetElement(0));
        }

        return Vector256.Sum(value);
    }
}

/// <summary>128-bit registers.</summary>
internal readonly unsafe struct Vector128Width<T> : IVectorWidth<Vector128<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(T* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);
}

/// <summary>One value per register, so the blocked loops of the products also serve machines without vectors.</summary>
internal readonly unsafe struct ScalarWidth<T> : IVectorWidth<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(T* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, T* destination) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(T value) => value;
}
