using System;

namespace Layerwise;

/// <summary>
/// Declares a fully connected layer y = f(W·x + b) with weight W of shape [units, inputs] and bias b of
/// length units, the layout of PyTorch's <c>nn.Linear</c> followed by the activation module.
/// </summary>
/// <remarks>
/// By default weights are initialized He normal (standard deviation √(2 / inputs)) before ReLU, LeakyReLU and
/// PReLU, LeCun normal before SELU, and Glorot uniform (±√(6 / (inputs + units))) otherwise; biases start at zero.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute, IActivationOptions
{
    /// <summary>Declares a layer of <paramref name="units"/> outputs followed by <paramref name="activation"/>.</summary>
    /// <param name="units">The number of outputs; must be positive.</param>
    /// <param name="activation">The function applied to W·x + b.</param>
    public DenseAttribute(int units, Activation activation = Activation.Identity)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The number of outputs.</summary>
    public int Units { get; }

    /// <summary>The function applied to W·x + b.</summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer adds a learned bias b. Default true.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>How the weights are drawn. Default: chosen from the activation.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>Excludes the layer's weight and bias from training: their gradients are always zero. Default false.</summary>
    public bool Frozen { get; set; }

    /// <inheritdoc/>
    public double Alpha { get; set; } = double.NaN;

    /// <inheritdoc/>
    public bool Approximate { get; set; }

    /// <inheritdoc/>
    public bool LearnableBeta { get; set; }

    /// <inheritdoc/>
    public double AdaptiveSlope { get; set; }
}
