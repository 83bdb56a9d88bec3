using System.Numerics;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>
/// An element-wise function of two values with scalar and 128/256/512-bit vector bodies, so that one
/// driver loop serves every operator at the widest width the processor accelerates.
/// </summary>
internal interface IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Invoke(T x, T y);

    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    static abstract Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}
