using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>
/// An element-wise function of two values with scalar and 128/256/512-bit vector bodies, so that one
/// driver loop serves every operator at the widest width the processor accelerates.
/// </summary>
internal interface IBinaryOperator
{
    static abstract float Invoke(float x, float y);

    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
