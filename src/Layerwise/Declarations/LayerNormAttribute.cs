using System;

namespace Layerwise;

/// <summary>
/// Declares layer normalization over the features of one sample:
/// y = (x − mean(x)) / √(var(x) + ε) · gain + bias, with the biased variance, as PyTorch's
/// <c>nn.LayerNorm(features)</c>. Gain starts at one and bias at zero; both are learned.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>ε, added to the variance; positive. Default 1e-5, as PyTorch.</summary>
    public double Epsilon { get; set; } = 1e-5;
}
