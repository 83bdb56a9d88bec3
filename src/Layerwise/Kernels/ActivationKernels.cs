using System;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>
/// Activation functions and their backward passes over the units of one sample. Every method allows
/// the destination to be the same span as an input.
/// </summary>
public static class ActivationKernels
{
    /// <summary>Up to this many values, softmax runs as scalar loops instead of vectorized calls.</summary>
    private const int SmallSoftmax = 16;

    /// <summary>destination = max(0, x). NaN stays NaN.</summary>
    public static void ReLU<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        TensorPrimitives.Max(x, T.Zero, destination);
    }

    /// <summary>destination = 1 / (1 + e^(−x)).</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        if (!x.IsEmpty)
        {
            // TensorPrimitives.Sigmoid rejects empty spans; an empty layer simply has nothing to do.
            TensorPrimitives.Sigmoid(x, destination);
        }
    }

    /// <summary>destination = tanh(x).</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        if (typeof(T) == typeof(float))
        {
            SingleVectorKernels.Tanh(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(destination));
            return;
        }

        TensorPrimitives.Tanh(x, destination);
    }

    /// <summary>
    /// destination = e^(x − max x) / Σ e^(x − max x). Subtracting the maximum keeps every exponent at or
    /// below zero, so large logits cannot overflow. A NaN in <paramref name="x"/> makes every output NaN.
    /// </summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        if (x.IsEmpty)
        {
            return;
        }

        if (typeof(T) == typeof(float) && x.Length <= SingleVectorKernels.SmallClasses && Vector256.IsHardwareAccelerated)
        {
            SingleVectorKernels.SmallSoftmax(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(destination));
            return;
        }

        if (x.Length <= SmallSoftmax)
        {
            // A few classes: one scalar pass each costs less than five vectorized calls with their setup.
            T largest = x[0];
            for (int i = 1; i < x.Length; i++)
            {
                largest = T.Max(largest, x[i]);
            }

            T total = T.Zero;
            for (int i = 0; i < x.Length; i++)
            {
                T e = T.Exp(x[i] - largest);
                destination[i] = e;
                total += e;
            }

            T inverse = T.One / total;
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] *= inverse;
            }

            return;
        }

        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, destination);
        TensorPrimitives.Exp(destination, destination);
        T sum = TensorPrimitives.Sum<T>(destination);
        TensorPrimitives.Divide(destination, sum, destination);
    }

    /// <summary>destination = gradient where activated &gt; 0, else 0 (the ReLU derivative taken as 0 at 0, as PyTorch does).</summary>
    /// <param name="activated">The ReLU outputs of the forward pass.</param>
    /// <param name="gradient">d(loss)/d(outputs).</param>
    /// <param name="destination">d(loss)/d(inputs).</param>
    public static void ReLUBackward<T>(ReadOnlySpan<T> activated, ReadOnlySpan<T> gradient, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackwardLengths(activated, gradient, destination);
        Elementwise.Apply<T, ReLUBackwardOperator<T>>(activated, gradient, destination);
    }

    /// <summary>destination = gradient · a · (1 − a), where a is the sigmoid output.</summary>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> activated, ReadOnlySpan<T> gradient, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackwardLengths(activated, gradient, destination);
        Elementwise.Apply<T, SigmoidBackwardOperator<T>>(activated, gradient, destination);
    }

    /// <summary>destination = gradient · (1 − a²), where a is the tanh output.</summary>
    public static void TanhBackward<T>(ReadOnlySpan<T> activated, ReadOnlySpan<T> gradient, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackwardLengths(activated, gradient, destination);
        Elementwise.Apply<T, TanhBackwardOperator<T>>(activated, gradient, destination);
    }

    /// <summary>
    /// destination = a ⊙ (gradient − (a · gradient)): the product of the softmax Jacobian
    /// diag(a) − a·aᵀ with the gradient, where a is the softmax output.
    /// </summary>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> activated, ReadOnlySpan<T> gradient, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackwardLengths(activated, gradient, destination);
        T dot = TensorPrimitives.Dot(activated, gradient);
        TensorPrimitives.Subtract(gradient, dot, destination);
        TensorPrimitives.Multiply(destination, activated, destination);
    }

    private static void CheckBackwardLengths<T>(ReadOnlySpan<T> activated, ReadOnlySpan<T> gradient, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(activated.Length, gradient.Length, nameof(gradient));
        ThrowHelper.ThrowIfLengthDiffers(activated.Length, destination.Length, nameof(destination));
    }

    private readonly struct ReLUBackwardOperator<T> : IBinaryOperator<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T a, T g) => a > T.Zero ? g : T.Zero;

        // The comparison mask is all ones where a > 0, so a bitwise AND keeps g there and zeroes it elsewhere.
        public static Vector128<T> Invoke(Vector128<T> a, Vector128<T> g) =>
            Vector128.BitwiseAnd(g, Vector128.GreaterThan(a, Vector128<T>.Zero));

        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> g) =>
            Vector256.BitwiseAnd(g, Vector256.GreaterThan(a, Vector256<T>.Zero));

        public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> g) =>
            Vector512.BitwiseAnd(g, Vector512.GreaterThan(a, Vector512<T>.Zero));
    }

    private readonly struct SigmoidBackwardOperator<T> : IBinaryOperator<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T a, T g) => g * a * (T.One - a);

        public static Vector128<T> Invoke(Vector128<T> a, Vector128<T> g) => g * a * (Vector128<T>.One - a);

        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> g) => g * a * (Vector256<T>.One - a);

        public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> g) => g * a * (Vector512<T>.One - a);
    }

    private readonly struct TanhBackwardOperator<T> : IBinaryOperator<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T a, T g) => g * (T.One - a * a);

        public static Vector128<T> Invoke(Vector128<T> a, Vector128<T> g) => g * (Vector128<T>.One - a * a);

        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> g) => g * (Vector256<T>.One - a * a);

        public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> g) => g * (Vector512<T>.One - a * a);
    }
}
