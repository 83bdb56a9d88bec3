using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>
/// Per-sample losses and their gradients. Each returns the unreduced sum over the sample's outputs and
/// writes the gradient multiplied by <c>scale</c>, so a caller that passes 1 / (the reduction's count)
/// gets PyTorch's mean reduction after adding the samples up.
/// </summary>
public static class LossKernels
{
    /// <summary>
    /// Σ (output − target)², with gradient = 2 · (output − target) · scale with respect to the output.
    /// </summary>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(output.Length, target.Length, nameof(target));
        ThrowHelper.ThrowIfLengthDiffers(output.Length, gradient.Length, nameof(gradient));

        TensorPrimitives.Subtract(output, target, gradient);
        T sum = TensorPrimitives.SumOfSquares<T>(gradient);
        TensorPrimitives.Multiply(gradient, (T.One + T.One) * scale, gradient);
        return sum;
    }

    /// <summary>Σ |output − target|, with gradient sign(output − target) · scale (0 where they are equal, as PyTorch).</summary>
    public static T MeanAbsoluteError<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(output.Length, target.Length, nameof(target));
        ThrowHelper.ThrowIfLengthDiffers(output.Length, gradient.Length, nameof(gradient));
        T loss = T.Zero;
        for (int i = 0; i < output.Length; i++)
        {
            T d = output[i] - target[i];
            loss += T.Abs(d);
            gradient[i] = d > T.Zero ? scale : d < T.Zero ? -scale : T.Zero;
        }

        return loss;
    }

    /// <summary>
    /// Σ ½d² where |d| ≤ δ and δ·(|d| − ½δ) elsewhere, with d = output − target; the gradient is d·scale or
    /// δ·sign(d)·scale.
    /// </summary>
    public static T Huber<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, T delta, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(output.Length, target.Length, nameof(target));
        ThrowHelper.ThrowIfLengthDiffers(output.Length, gradient.Length, nameof(gradient));
        T half = T.CreateTruncating(0.5);
        T loss = T.Zero;
        for (int i = 0; i < output.Length; i++)
        {
            T d = output[i] - target[i];
            T magnitude = T.Abs(d);
            if (magnitude <= delta)
            {
                loss += half * d * d;
                gradient[i] = d * scale;
            }
            else
            {
                loss += delta * (magnitude - half * delta);
                gradient[i] = (d > T.Zero ? delta : -delta) * scale;
            }
        }

        return loss;
    }

    /// <summary>
    /// Cross-entropy with label smoothing ε: the target becomes t′ = (1 − ε)·t + ε/K over K classes, then the
    /// loss and gradient are those of <see cref="SoftmaxCrossEntropy{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T})"/>
    /// for t′, as PyTorch's <c>label_smoothing</c>.
    /// </summary>
    public static T SoftmaxCrossEntropy<T>(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> probabilities, ReadOnlySpan<T> target, T smoothing, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, probabilities.Length, nameof(probabilities));
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, target.Length, nameof(target));
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, gradient.Length, nameof(gradient));
        T uniform = smoothing / T.CreateChecked(logits.Length);
        T keep = T.One - smoothing;
        T lse = LogSumExp(logits);
        T targetSum = T.Zero;
        T loss = T.Zero;
        for (int k = 0; k < logits.Length; k++)
        {
            T smoothed = keep * target[k] + uniform;
            targetSum += smoothed;
            loss += smoothed * (lse - logits[k]);
            gradient[k] = -smoothed;
        }

        for (int k = 0; k < logits.Length; k++)
        {
            gradient[k] = (gradient[k] + probabilities[k] * targetSum) * scale;
        }

        return loss;
    }

    /// <summary>Cross-entropy of a class index with label smoothing ε: the target is (1 − ε)·onehot + ε/K.</summary>
    public static T SoftmaxCrossEntropy<T>(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> probabilities, int label, T smoothing, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, probabilities.Length, nameof(probabilities));
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, gradient.Length, nameof(gradient));
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, logits.Length);
        T uniform = smoothing / T.CreateChecked(logits.Length);
        T lse = LogSumExp(logits);
        T loss = T.Zero;
        for (int k = 0; k < logits.Length; k++)
        {
            T smoothed = (k == label ? T.One - smoothing : T.Zero) + uniform;
            loss += smoothed * (lse - logits[k]);
            gradient[k] = (probabilities[k] - smoothed) * scale;
        }

        return loss;
    }

    /// <summary>
    /// −Σₖ tₖ · log softmax(z)ₖ = lse(z) · Σₖ tₖ − Σₖ tₖ zₖ, evaluated with the log-sum-exp of the logits so
    /// no probability is ever passed to a logarithm. The gradient with respect to the logits is
    /// (p · Σₖ tₖ − t) · scale, which is (p − t) · scale for one-hot or probability targets.
    /// </summary>
    /// <param name="logits">z, the output layer before softmax.</param>
    /// <param name="probabilities">p = softmax(z) from the forward pass.</param>
    /// <param name="target">t, one-hot or a probability distribution.</param>
    /// <param name="scale">The factor applied to the gradient.</param>
    /// <param name="gradient">d(loss)/d(z) · scale, overwritten.</param>
    public static T SoftmaxCrossEntropy<T>(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> probabilities, ReadOnlySpan<T> target, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, probabilities.Length, nameof(probabilities));
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, target.Length, nameof(target));
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, gradient.Length, nameof(gradient));

        T targetSum = TensorPrimitives.Sum(target);
        T loss = LogSumExp(logits) * targetSum - TensorPrimitives.Dot(target, logits);
        TensorPrimitives.Multiply(probabilities, targetSum, gradient);
        TensorPrimitives.Subtract(gradient, target, gradient);
        TensorPrimitives.Multiply(gradient, scale, gradient);
        return loss;
    }

    /// <summary>
    /// lse(z) − z[label], the cross-entropy of a class index, with gradient (p − onehot(label)) · scale.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is outside [0, logits.Length).</exception>
    public static T SoftmaxCrossEntropy<T>(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> probabilities, int label, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, probabilities.Length, nameof(probabilities));
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, gradient.Length, nameof(gradient));
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, logits.Length);

        T loss = LogSumExp(logits) - logits[label];
        TensorPrimitives.Multiply(probabilities, scale, gradient);
        gradient[label] -= scale;
        return loss;
    }

    /// <summary>
    /// Σ max(z, 0) − z·t + log(1 + e^(−|z|)), the binary cross-entropy of σ(z) written so that it stays
    /// finite for any logit, as PyTorch's <c>BCEWithLogitsLoss</c>. The gradient with respect to the
    /// logits is (σ(z) − t) · scale.
    /// </summary>
    /// <param name="logits">z, the output layer before the sigmoid.</param>
    /// <param name="probabilities">σ(z) from the forward pass.</param>
    /// <param name="target">t in [0, 1].</param>
    /// <param name="scale">The factor applied to the gradient.</param>
    /// <param name="gradient">d(loss)/d(z) · scale, overwritten.</param>
    public static T SigmoidBinaryCrossEntropy<T>(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> probabilities, ReadOnlySpan<T> target, T scale, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, probabilities.Length, nameof(probabilities));
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, target.Length, nameof(target));
        ThrowHelper.ThrowIfLengthDiffers(logits.Length, gradient.Length, nameof(gradient));

        T loss = T.Zero;
        for (int i = 0; i < logits.Length; i++)
        {
            T z = logits[i];
            loss += T.Max(z, T.Zero) - z * target[i] + T.LogP1(T.Exp(-T.Abs(z)));
        }

        TensorPrimitives.Subtract(probabilities, target, gradient);
        TensorPrimitives.Multiply(gradient, scale, gradient);
        return loss;
    }

    /// <summary>log Σ e^(zₖ), computed as max + log Σ e^(zₖ − max) so it cannot overflow.</summary>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty.</exception>
    public static T LogSumExp<T>(ReadOnlySpan<T> logits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("The log-sum-exp of no values is undefined; pass at least one logit.", nameof(logits));
        }

        if (typeof(T) == typeof(float) && logits.Length <= SingleVectorKernels.SmallClasses && Vector256.IsHardwareAccelerated)
        {
            // A few classes: the exponentials in two vectors, not one scalar call each.
            float result = SingleVectorKernels.SmallLogSumExp(MemoryMarshal.Cast<T, float>(logits));
            return Unsafe.BitCast<float, T>(result);
        }

        T max = TensorPrimitives.Max(logits);
        T sum = T.Zero;
        for (int i = 0; i < logits.Length; i++)
        {
            sum += T.Exp(logits[i] - max);
        }

        return max + T.Log(sum);
    }
}
