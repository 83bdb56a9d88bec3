using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>
/// Activation functions and their backward passes over the units of one sample. Every method allows
/// the destination to be the same span as an input.
/// </summary>
public static class ActivationKernels
{
    /// <summary>destination = max(0, x). NaN stays NaN.</summary>
    public static void ReLU(ReadOnlySpan<float> x, Span<float> destination)
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        TensorPrimitives.Max(x, 0f, destination);
    }

    /// <summary>destination = 1 / (1 + e^(−x)).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination)
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        if (!x.IsEmpty)
        {
            // TensorPrimitives.Sigmoid rejects empty spans; an empty layer simply has nothing to do.
            TensorPrimitives.Sigmoid(x, destination);
        }
    }

    /// <summary>destination = tanh(x).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination)
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        TensorPrimitives.Tanh(x, destination);
    }

    /// <summary>
    /// destination = e^(x − max x) / Σ e^(x − max x). Subtracting the maximum keeps every exponent at or
    /// below zero, so large logits cannot overflow. A NaN in <paramref name="x"/> makes every output NaN.
    /// </summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> destination)
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        if (x.IsEmpty)
        {
            return;
        }

        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, destination);
        TensorPrimitives.Exp(destination, destination);
        float sum = TensorPrimitives.Sum<float>(destination);
        TensorPrimitives.Divide(destination, sum, destination);
    }

    /// <summary>destination = gradient where activated &gt; 0, else 0 (the ReLU derivative taken as 0 at 0, as PyTorch does).</summary>
    /// <param name="activated">The ReLU outputs of the forward pass.</param>
    /// <param name="gradient">d(loss)/d(outputs).</param>
    /// <param name="destination">d(loss)/d(inputs).</param>
    public static void ReLUBackward(ReadOnlySpan<float> activated, ReadOnlySpan<float> gradient, Span<float> destination)
    {
        CheckBackwardLengths(activated, gradient, destination);
        Elementwise.Apply<ReLUBackwardOperator>(activated, gradient, destination);
    }

    /// <summary>destination = gradient · a · (1 − a), where a is the sigmoid output.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> activated, ReadOnlySpan<float> gradient, Span<float> destination)
    {
        CheckBackwardLengths(activated, gradient, destination);
        Elementwise.Apply<SigmoidBackwardOperator>(activated, gradient, destination);
    }

    /// <summary>destination = gradient · (1 − a²), where a is the tanh output.</summary>
    public static void TanhBackward(ReadOnlySpan<float> activated, ReadOnlySpan<float> gradient, Span<float> destination)
    {
        CheckBackwardLengths(activated, gradient, destination);
        Elementwise.Apply<TanhBackwardOperator>(activated, gradient, destination);
    }

    /// <summary>
    /// destination = a ⊙ (gradient − (a · gradient)): the product of the softmax Jacobian
    /// diag(a) − a·aᵀ with the gradient, where a is the softmax output.
    /// </summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> activated, ReadOnlySpan<float> gradient, Span<float> destination)
    {
        CheckBackwardLengths(activated, gradient, destination);
        float dot = TensorPrimitives.Dot(activated, gradient);
        TensorPrimitives.Subtract(gradient, dot, destination);
        TensorPrimitives.Multiply(destination, activated, destination);
    }

    private static void CheckBackwardLengths(ReadOnlySpan<float> activated, ReadOnlySpan<float> gradient, Span<float> destination)
    {
        ThrowHelper.ThrowIfLengthDiffers(activated.Length, gradient.Length, nameof(gradient));
        ThrowHelper.ThrowIfLengthDiffers(activated.Length, destination.Length, nameof(destination));
    }

    private readonly struct ReLUBackwardOperator : IBinaryOperator
    {
        public static float Invoke(float a, float g) => a > 0f ? g : 0f;

        // The comparison mask is all ones where a > 0, so a bitwise AND keeps g there and zeroes it elsewhere.
        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> g) =>
            Vector128.BitwiseAnd(g, Vector128.GreaterThan(a, Vector128<float>.Zero));

        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> g) =>
            Vector256.BitwiseAnd(g, Vector256.GreaterThan(a, Vector256<float>.Zero));

        public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> g) =>
            Vector512.BitwiseAnd(g, Vector512.GreaterThan(a, Vector512<float>.Zero));
    }

    private readonly struct SigmoidBackwardOperator : IBinaryOperator
    {
        public static float Invoke(float a, float g) => g * a * (1f - a);

        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> g) => g * a * (Vector128<float>.One - a);

        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> g) => g * a * (Vector256<float>.One - a);

        public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> g) => g * a * (Vector512<float>.One - a);
    }

    private readonly struct TanhBackwardOperator : IBinaryOperator
    {
        public static float Invoke(float a, float g) => g * (1f - a * a);

        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> g) => g * (Vector128<float>.One - a * a);

        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> g) => g * (Vector256<float>.One - a * a);

        public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> g) => g * (Vector512<float>.One - a * a);
    }
}
