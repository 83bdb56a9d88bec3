using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace Layerwise.Kernels;

/// <summary>
/// Matrix-vector kernels of a fully connected layer with weight W [outputs, inputs] row-major and bias
/// b [outputs], for layers too large to unroll in generated code.
/// </summary>
public static class DenseKernels
{
    /// <summary>Computes output = W·input + b for one sample.</summary>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="bias">b, [outputs], or empty for a layer without bias.</param>
    /// <param name="input">x, [inputs].</param>
    /// <param name="output">y, [outputs]; must not overlap <paramref name="input"/>.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output,
        int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(inputs * outputs, weights.Length, nameof(weights));
        if (!bias.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(outputs, bias.Length, nameof(bias));
        }

        ThrowHelper.ThrowIfLengthDiffers(inputs, input.Length, nameof(input));
        ThrowHelper.ThrowIfLengthDiffers(outputs, output.Length, nameof(output));

        // One SIMD dot product per row: rows are contiguous in the [outputs, inputs] layout.
        for (int j = 0; j < outputs; j++)
        {
            T sum = TensorPrimitives.Dot(weights.Slice(j * inputs, inputs), input);
            output[j] = bias.IsEmpty ? sum : bias[j] + sum;
        }
    }

    /// <summary>
    /// Accumulates the gradients of one sample: weightGradient += g ⊗ x, biasGradient += g, and writes
    /// inputGradient = Wᵀ·g unless <paramref name="inputGradient"/> is empty (the first layer needs none).
    /// </summary>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="input">x, the layer's input in the forward pass, [inputs].</param>
    /// <param name="outputGradient">g = d(loss)/d(W·x + b), [outputs].</param>
    /// <param name="weightGradient">[outputs, inputs], accumulated into.</param>
    /// <param name="biasGradient">[outputs], accumulated into, or empty for a layer without bias.</param>
    /// <param name="inputGradient">[inputs] overwritten, or empty to skip.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> inputGradient,
        int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(inputs * outputs, weights.Length, nameof(weights));
        ThrowHelper.ThrowIfLengthDiffers(inputs, input.Length, nameof(input));
        ThrowHelper.ThrowIfLengthDiffers(outputs, outputGradient.Length, nameof(outputGradient));
        ThrowHelper.ThrowIfLengthDiffers(inputs * outputs, weightGradient.Length, nameof(weightGradient));
        if (!biasGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(outputs, biasGradient.Length, nameof(biasGradient));
            TensorPrimitives.Add(biasGradient, outputGradient, biasGradient);
        }

        if (!inputGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(inputs, inputGradient.Length, nameof(inputGradient));
            inputGradient.Clear();
        }

        for (int j = 0; j < outputs; j++)
        {
            T g = outputGradient[j];
            Span<T> weightGradientRow = weightGradient.Slice(j * inputs, inputs);
            TensorPrimitives.MultiplyAdd(input, g, weightGradientRow, weightGradientRow);
            if (!inputGradient.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(weights.Slice(j * inputs, inputs), g, inputGradient, inputGradient);
            }
        }
    }
}
