using System;
using System.Numerics;

namespace Layerwise.Initialization;

/// <summary>
/// Draws initial weights from a seeded xoshiro256** generator, so the same seed gives the same bits on
/// every machine and .NET version (unlike <see cref="Random"/>, whose seeded sequence is not a contract).
/// </summary>
public sealed class ParameterInitializer
{
    private Xoshiro256 _random;

    /// <summary>Creates a generator whose state is expanded from <paramref name="seed"/> with SplitMix64.</summary>
    public ParameterInitializer(int seed) => _random = new Xoshiro256(seed);
    /// <summary>
    /// Fills <paramref name="weights"/> from a normal distribution with mean 0 and standard deviation
    /// √(2 / fanIn) (He et al., 2015), the scale that keeps ReLU activations' variance steady.
    /// </summary>
    public void HeNormal<T>(Span<T> weights, int fanIn)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        double std = Math.Sqrt(2.0 / fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = T.CreateChecked(std * NextStandardNormal());
        }
    }

    /// <summary>
    /// Fills <paramref name="weights"/> from a normal distribution with mean 0 and standard deviation
    /// √(1 / fanIn) (LeCun et al., 1998), the scale that SELU's self-normalization assumes.
    /// </summary>
    public void LeCunNormal<T>(Span<T> weights, int fanIn)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        double std = Math.Sqrt(1.0 / fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = T.CreateChecked(std * NextStandardNormal());
        }
    }

    /// <summary>
    /// Fills <paramref name="weights"/> uniformly from ±√(6 / (fanIn + fanOut)) (Glorot and Bengio, 2010).
    /// </summary>
    public void GlorotUniform<T>(Span<T> weights, int fanIn, int fanOut)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = T.CreateChecked((2.0 * NextDouble() - 1.0) * limit);
        }
    }

    /// <summary>Returns a uniform value in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => _random.NextDouble();

    /// <summary>Returns a standard normal value by the Box–Muller transform.</summary>
    public double NextStandardNormal()
    {
        // 1 − u lies in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
