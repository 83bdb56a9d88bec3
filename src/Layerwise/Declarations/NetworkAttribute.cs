using System;

namespace Layerwise;

/// <summary>
/// Marks a <c>partial class</c> as a network: the source generator adds the forward pass, the gradient
/// computation and the <see cref="INetwork{T}"/> implementation from the layer attributes that follow
/// it on the same class, in source order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares a network trained on <paramref name="loss"/>.</summary>
    /// <param name="loss">The loss that <c>ComputeGradients</c> and training minimize.</param>
    public NetworkAttribute(Loss loss) => Loss = loss;

    /// <summary>The loss that <c>ComputeGradients</c> and training minimize.</summary>
    public Loss Loss { get; }
}
