using System;
using System.Numerics;

namespace Layerwise.Kernels;

/// <summary>
/// Batch normalization over row-major [batch, features] values, as PyTorch's <c>nn.BatchNorm1d</c>.
/// </summary>
public static class BatchNormKernels
{
    /// <summary>
    /// Normalizes each feature with the batch mean μ and biased variance σ²: x̂ = (x − μ) / √(σ² + ε) and
    /// output = x̂ ⊙ gain + bias.
    /// </summary>
    /// <param name="input">[batch, features].</param>
    /// <param name="gain">[features].</param>
    /// <param name="bias">[features].</param>
    /// <param name="output">[batch, features]; may be <paramref name="input"/>.</param>
    /// <param name="normalized">x̂, [batch, features].</param>
    /// <param name="mean">Receives μ, [features].</param>
    /// <param name="inverseStd">Receives 1 / √(σ² + ε), [features].</param>
    /// <param name="variance">Receives the biased batch variance σ², [features].</param>
    /// <param name="epsilon">ε.</param>
    /// <exception cref="ArgumentException">A span length is inconsistent, or the batch has fewer than two samples.</exception>
    public static void ForwardTraining<T>(
        ReadOnlySpan<T> input, ReadOnlySpan<T> gain, ReadOnlySpan<T> bias, Span<T> output, Span<T> normalized,
        Span<T> mean, Span<T> inverseStd, Span<T> variance, T epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int features = gain.Length;
        int batch = GetBatch(input.Length, features);
        ThrowHelper.ThrowIfLengthDiffers(features, bias.Length, nameof(bias));
        ThrowHelper.ThrowIfLengthDiffers(input.Length, output.Length, nameof(output));
        ThrowHelper.ThrowIfLengthDiffers(input.Length, normalized.Length, nameof(normalized));
        ThrowHelper.ThrowIfLengthDiffers(features, mean.Length, nameof(mean));
        ThrowHelper.ThrowIfLengthDiffers(features, inverseStd.Length, nameof(inverseStd));
        ThrowHelper.ThrowIfLengthDiffers(features, variance.Length, nameof(variance));
        if (batch < 2)
        {
            throw new ArgumentException(
                "Batch normalization in training needs at least 2 samples per batch to estimate a variance, but the batch has 1.",
                nameof(input));
        }

        T count = T.CreateChecked(batch);
        for (int j = 0; j < features; j++)
        {
            T sum = T.Zero;
            for (int b = 0; b < batch; b++)
            {
                sum += input[b * features + j];
            }

            T mu = sum / count;
            T squares = T.Zero;
            for (int b = 0; b < batch; b++)
            {
                T d = input[b * features + j] - mu;
                squares += d * d;
            }

            T biasedVariance = squares / count;
            T inverse = T.One / T.Sqrt(biasedVariance + epsilon);
            mean[j] = mu;
            variance[j] = biasedVariance;
            inverseStd[j] = inverse;
            for (int b = 0; b < batch; b++)
            {
                int index = b * features + j;
                T xHat = (input[index] - mu) * inverse;
                normalized[index] = xHat;
                output[index] = xHat * gain[j] + bias[j];
            }
        }
    }

    /// <summary>
    /// running ← (1 − momentum)·running + momentum·batch value, with the variance corrected to the unbiased
    /// σ²·n/(n − 1) as PyTorch does.
    /// </summary>
    public static void UpdateRunningStatistics<T>(
        ReadOnlySpan<T> mean, ReadOnlySpan<T> variance, int batch, T momentum, Span<T> runningMean, Span<T> runningVariance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(mean.Length, variance.Length, nameof(variance));
        ThrowHelper.ThrowIfLengthDiffers(mean.Length, runningMean.Length, nameof(runningMean));
        ThrowHelper.ThrowIfLengthDiffers(mean.Length, runningVariance.Length, nameof(runningVariance));
        T correction = T.CreateChecked(batch) / T.CreateChecked(batch - 1);
        T keep = T.One - momentum;
        for (int j = 0; j < mean.Length; j++)
        {
            runningMean[j] = keep * runningMean[j] + momentum * mean[j];
            runningVariance[j] = keep * runningVariance[j] + momentum * variance[j] * correction;
        }
    }

    /// <summary>output = (x − running mean) / √(running variance + ε) ⊙ gain + bias, for one or more rows.</summary>
    public static void ForwardInference<T>(
        ReadOnlySpan<T> input, ReadOnlySpan<T> gain, ReadOnlySpan<T> bias, ReadOnlySpan<T> runningMean,
        ReadOnlySpan<T> runningVariance, Span<T> output, T epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int features = gain.Length;
        GetBatch(input.Length, features);
        ThrowHelper.ThrowIfLengthDiffers(input.Length, output.Length, nameof(output));
        for (int i = 0; i < input.Length; i++)
        {
            int j = i % features;
            output[i] = (input[i] - runningMean[j]) / T.Sqrt(runningVariance[j] + epsilon) * gain[j] + bias[j];
        }
    }

    /// <summary>
    /// Accumulates gainGradient += Σ g ⊙ x̂ and biasGradient += Σ g over the batch, and writes
    /// inputGradient = σ⁻¹/n · (n·ĝ − Σ ĝ − x̂ · Σ ĝ ⊙ x̂) with ĝ = g ⊙ gain, unless it is empty.
    /// </summary>
    public static void Backward<T>(
        ReadOnlySpan<T> normalized, ReadOnlySpan<T> inverseStd, ReadOnlySpan<T> gain, ReadOnlySpan<T> outputGradient,
        Span<T> gainGradient, Span<T> biasGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int features = gain.Length;
        int batch = GetBatch(normalized.Length, features);
        ThrowHelper.ThrowIfLengthDiffers(normalized.Length, outputGradient.Length, nameof(outputGradient));
        T count = T.CreateChecked(batch);
        for (int j = 0; j < features; j++)
        {
            T sum = T.Zero;
            T sumTimesNormalized = T.Zero;
            for (int b = 0; b < batch; b++)
            {
                int index = b * features + j;
                sum += outputGradient[index];
                sumTimesNormalized += outputGradient[index] * normalized[index];
            }

            gainGradient[j] += sumTimesNormalized;
            biasGradient[j] += sum;
            if (inputGradient.IsEmpty)
            {
                continue;
            }

            T scale = gain[j] * inverseStd[j] / count;
            for (int b = 0; b < batch; b++)
            {
                int index = b * features + j;
                inputGradient[index] = scale * (count * outputGradient[index] - sum - normalized[index] * sumTimesNormalized);
            }
        }
    }

    private static int GetBatch(int length, int features)
    {
        if (features == 0 || length % features != 0)
        {
            throw new ArgumentException($"Expected rows of {features} features, but got {length} values.");
        }

        return length / features;
    }
}
