using System;

namespace Layerwise;

/// <summary>
/// Declares dropout: in training each value is zeroed with probability <see cref="Rate"/> and the others are
/// scaled by 1 / (1 − rate); in inference the layer passes values through. PyTorch: <c>nn.Dropout(p)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares dropout with probability <paramref name="rate"/> in [0, 1).</summary>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>The probability that a value is zeroed in training.</summary>
    public double Rate { get; }
}

/// <summary>
/// Declares additive Gaussian noise: in training y = x + σ·ε with ε drawn from N(0, 1) per value; in inference
/// the layer passes values through.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GaussianNoiseAttribute : Attribute
{
    /// <summary>Declares noise of standard deviation <paramref name="standardDeviation"/> ≥ 0.</summary>
    public GaussianNoiseAttribute(double standardDeviation) => StandardDeviation = standardDeviation;

    /// <summary>σ, the standard deviation of the noise.</summary>
    public double StandardDeviation { get; }
}

/// <summary>
/// Declares a residual connection: the output is the previous layer's output plus the output of layer
/// <see cref="From"/>, which must have the same width. Layers are numbered from 1 after [Input]; 0 is the input.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResidualAttribute : Attribute
{
    /// <summary>Declares a connection from layer <paramref name="from"/> (0 for the input).</summary>
    public ResidualAttribute(int from) => From = from;

    /// <summary>The number of the earlier layer whose output is added.</summary>
    public int From { get; }
}
