using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace Layerwise.Kernels;

/// <summary>Layer normalization over the features of one sample, as PyTorch's <c>nn.LayerNorm</c>.</summary>
public static class LayerNormKernels
{
    /// <summary>
    /// Computes x̂ = (x − mean) / √(var + ε) with the biased variance and output = x̂ ⊙ gain + bias.
    /// </summary>
    /// <param name="input">x, [features].</param>
    /// <param name="gain">[features].</param>
    /// <param name="bias">[features].</param>
    /// <param name="output">[features]; may be <paramref name="input"/>.</param>
    /// <param name="normalized">x̂ [features] for the backward pass, or empty in inference.</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <returns>1 / √(var + ε), which the backward pass needs.</returns>
    /// <exception cref="ArgumentException">A span length differs from the input length.</exception>
    public static T Forward<T>(
        ReadOnlySpan<T> input, ReadOnlySpan<T> gain, ReadOnlySpan<T> bias, Span<T> output,
        Span<T> normalized, T epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = input.Length;
        ThrowHelper.ThrowIfLengthDiffers(n, gain.Length, nameof(gain));
        ThrowHelper.ThrowIfLengthDiffers(n, bias.Length, nameof(bias));
        ThrowHelper.ThrowIfLengthDiffers(n, output.Length, nameof(output));
        if (!normalized.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(n, normalized.Length, nameof(normalized));
        }

        // Two passes (mean, then squared deviations) avoid the cancellation of E[x²] − E[x]².
        T count = T.CreateChecked(n);
        T mean = TensorPrimitives.Sum(input) / count;
        T variance = T.Zero;
        for (int i = 0; i < n; i++)
        {
            T d = input[i] - mean;
            variance += d * d;
        }

        T inverseStd = T.One / T.Sqrt(variance / count + epsilon);
        Span<T> target = normalized.IsEmpty ? output : normalized;
        TensorPrimitives.Subtract(input, mean, target);
        TensorPrimitives.Multiply(target, inverseStd, target);
        TensorPrimitives.FusedMultiplyAdd(target, gain, bias, output);
        return inverseStd;
    }

    /// <summary>
    /// Accumulates gainGradient += g ⊙ x̂ and biasGradient += g, and writes
    /// inputGradient = σ⁻¹ · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)) with ĝ = g ⊙ gain, unless
    /// <paramref name="inputGradient"/> is empty.
    /// </summary>
    /// <param name="normalized">x̂ from the forward pass.</param>
    /// <param name="inverseStd">σ⁻¹ returned by the forward pass.</param>
    /// <param name="gain">[features].</param>
    /// <param name="outputGradient">g = d(loss)/d(output).</param>
    /// <param name="gainGradient">[features], accumulated into.</param>
    /// <param name="biasGradient">[features], accumulated into.</param>
    /// <param name="inputGradient">[features] overwritten, or empty to skip; must not overlap <paramref name="outputGradient"/>.</param>
    /// <exception cref="ArgumentException">A span length differs from the feature count.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> normalized, T inverseStd, ReadOnlySpan<T> gain, ReadOnlySpan<T> outputGradient,
        Span<T> gainGradient, Span<T> biasGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = normalized.Length;
        ThrowHelper.ThrowIfLengthDiffers(n, gain.Length, nameof(gain));
        ThrowHelper.ThrowIfLengthDiffers(n, outputGradient.Length, nameof(outputGradient));
        ThrowHelper.ThrowIfLengthDiffers(n, gainGradient.Length, nameof(gainGradient));
        ThrowHelper.ThrowIfLengthDiffers(n, biasGradient.Length, nameof(biasGradient));

        TensorPrimitives.FusedMultiplyAdd(outputGradient, normalized, gainGradient, gainGradient);
        TensorPrimitives.Add(biasGradient, outputGradient, biasGradient);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        ThrowHelper.ThrowIfLengthDiffers(n, inputGradient.Length, nameof(inputGradient));

        // The two means are scalars, so the input gradient needs no buffer for ĝ.
        T sum = T.Zero;
        T sumTimesNormalized = T.Zero;
        for (int i = 0; i < n; i++)
        {
            T scaled = outputGradient[i] * gain[i];
            sum += scaled;
            sumTimesNormalized += scaled * normalized[i];
        }

        T count = T.CreateChecked(n);
        T mean = sum / count;
        T meanTimesNormalized = sumTimesNormalized / count;
        for (int i = 0; i < n; i++)
        {
            inputGradient[i] = inverseStd * (outputGradient[i] * gain[i] - mean - normalized[i] * meanTimesNormalized);
        }
    }
}
