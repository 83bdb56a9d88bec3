using System;
using System.Numerics;

namespace Layerwise.Kernels;

/// <summary>Per-feature standardization with fitted statistics, over one or more rows.</summary>
public static class StandardizeKernels
{
    /// <summary>output = (x − mean) / std for each feature of each row.</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> mean, ReadOnlySpan<T> std, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int features = mean.Length;
        ThrowHelper.ThrowIfLengthDiffers(features, std.Length, nameof(std));
        ThrowHelper.ThrowIfLengthDiffers(input.Length, output.Length, nameof(output));
        ThrowHelper.GetRowCount(input.Length, features, nameof(input));
        for (int i = 0; i < input.Length; i++)
        {
            int j = i % features;
            output[i] = (input[i] - mean[j]) / std[j];
        }
    }

    /// <summary>
    /// Fits mean and population standard deviation of each feature over row-major samples; a feature whose
    /// deviation is zero keeps std 1, so it maps to zero instead of dividing by zero.
    /// </summary>
    public static void Fit<T>(ReadOnlySpan<T> samples, Span<T> mean, Span<T> std)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int features = mean.Length;
        ThrowHelper.ThrowIfLengthDiffers(features, std.Length, nameof(std));
        int count = ThrowHelper.GetRowCount(samples.Length, features, nameof(samples));
        for (int j = 0; j < features; j++)
        {
            double sum = 0;
            for (int s = 0; s < count; s++)
            {
                sum += double.CreateTruncating(samples[s * features + j]);
            }

            double mu = sum / count;
            double squares = 0;
            for (int s = 0; s < count; s++)
            {
                double d = double.CreateTruncating(samples[s * features + j]) - mu;
                squares += d * d;
            }

            double deviation = Math.Sqrt(squares / count);
            mean[j] = T.CreateTruncating(mu);
            std[j] = T.CreateTruncating(deviation > 0 ? deviation : 1);
        }
    }
}
