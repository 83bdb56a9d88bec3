using System;

namespace Layerwise;

/// <summary>
/// Declares a fully connected layer y = f(W·x + b) with weight W of shape [units, inputs] and bias b of
/// length units, the layout of PyTorch's <c>nn.Linear</c> followed by the activation module.
/// </summary>
/// <remarks>
/// Weights are initialized He normal (standard deviation √(2 / inputs)) before <see cref="Activation.ReLU"/>
/// and Glorot uniform (±√(6 / (inputs + units))) otherwise; biases start at zero.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
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
}
