using System;

namespace Layerwise;

/// <summary>
/// Declares a standalone activation layer, so that for example Dense → BatchNorm → activation can be declared
/// (give the [Dense] <see cref="Activation.Identity"/>). PyTorch: the activation's module.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute : Attribute, IActivationOptions
{
    /// <summary>Declares the activation <paramref name="function"/>.</summary>
    public ActivationAttribute(Activation function) => Function = function;

    /// <summary>The function applied to each value (to each sample for Softmax).</summary>
    public Activation Function { get; }

    /// <inheritdoc/>
    public double Alpha { get; set; } = double.NaN;

    /// <inheritdoc/>
    public bool Approximate { get; set; }

    /// <inheritdoc/>
    public bool LearnableBeta { get; set; }

    /// <inheritdoc/>
    public double AdaptiveSlope { get; set; }
}
