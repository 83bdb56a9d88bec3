using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace Layerwise.Kernels;

/// <summary>Root-mean-square normalization over the features of one sample.</summary>
public static class RMSNormKernels
{
    /// <summary>Computes r = 1 / √(mean(x²) + ε), x̂ = x·r and output = x̂ ⊙ gain.</summary>
    /// <returns>r, which the backward pass needs.</returns>
    public static T Forward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> gain, Span<T> output, Span<T> normalized, T epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = input.Length;
        ThrowHelper.ThrowIfLengthDiffers(n, gain.Length, nameof(gain));
        ThrowHelper.ThrowIfLengthDiffers(n, output.Length, nameof(output));
        Span<T> target = normalized.IsEmpty ? output : normalized;
        ThrowHelper.ThrowIfLengthDiffers(n, target.Length, nameof(normalized));

        T inverseRms = T.One / T.Sqrt(TensorPrimitives.SumOfSquares(input) / T.CreateChecked(n) + epsilon);
        TensorPrimitives.Multiply(input, inverseRms, target);
        TensorPrimitives.Multiply(target, gain, output);
        return inverseRms;
    }

    /// <summary>
    /// Accumulates gainGradient += g ⊙ x̂ and writes inputGradient = r · (ĝ − x̂ · mean(ĝ ⊙ x̂)) with ĝ = g ⊙ gain,
    /// unless it is empty.
    /// </summary>
    public static void Backward<T>(
        ReadOnlySpan<T> normalized, T inverseRms, ReadOnlySpan<T> gain, ReadOnlySpan<T> outputGradient,
        Span<T> gainGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = normalized.Length;
        ThrowHelper.ThrowIfLengthDiffers(n, gain.Length, nameof(gain));
        ThrowHelper.ThrowIfLengthDiffers(n, outputGradient.Length, nameof(outputGradient));
        ThrowHelper.ThrowIfLengthDiffers(n, gainGradient.Length, nameof(gainGradient));

        TensorPrimitives.FusedMultiplyAdd(outputGradient, normalized, gainGradient, gainGradient);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        ThrowHelper.ThrowIfLengthDiffers(n, inputGradient.Length, nameof(inputGradient));
        T sum = T.Zero;
        for (int i = 0; i < n; i++)
        {
            sum += outputGradient[i] * gain[i] * normalized[i];
        }

        T mean = sum / T.CreateChecked(n);
        for (int i = 0; i < n; i++)
        {
            inputGradient[i] = inverseRms * (outputGradient[i] * gain[i] - normalized[i] * mean);
        }
    }
}
