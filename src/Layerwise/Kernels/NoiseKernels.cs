using System;
using System.Numerics;
using Layerwise.Initialization;

namespace Layerwise.Kernels;

/// <summary>
/// The random masks and noise of training-mode layers. Each call draws from a xoshiro256** stream seeded by
/// (seed, stream), so the same seed and layer give the same values on every machine, and a reference
/// implementation can reproduce them.
/// </summary>
public static class NoiseKernels
{
    /// <summary>
    /// Fills <paramref name="mask"/> with 1 / (1 − rate) where a uniform draw u in [0, 1) is at least
    /// <paramref name="rate"/>, and 0 elsewhere, drawing one u per element in order.
    /// </summary>
    public static void DropoutMask<T>(Span<T> mask, double rate, long seed, int stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }

        var random = CreateStream(seed, stream);
        T keep = T.CreateTruncating(1 / (1 - rate));
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextDouble() >= rate ? keep : T.Zero;
        }
    }

    /// <summary>
    /// Adds σ·ε to each value, with ε standard normal from the Box–Muller transform of two uniform draws
    /// (one normal value per pair, as <see cref="ParameterInitializer.NextStandardNormal"/>).
    /// </summary>
    public static void AddGaussianNoise<T>(Span<T> values, double standardDeviation, long seed, int stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = CreateStream(seed, stream);
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            values[i] += T.CreateTruncating(standardDeviation * normal);
        }
    }

    /// <summary>Seeds the stream of layer <paramref name="stream"/> from the training step's seed.</summary>
    internal static Xoshiro256 CreateStream(long seed, int stream) =>
        new(unchecked(seed * 0x5851F42D4C957F2DL + stream));
}
