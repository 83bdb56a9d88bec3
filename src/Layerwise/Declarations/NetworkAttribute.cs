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

    /// <summary>The element type of the generated network. Default <see cref="Layerwise.Precision.Single"/>.</summary>
    public Precision Precision { get; set; }

    /// <summary>δ of <see cref="Loss.Huber"/>, where the loss turns from quadratic to linear; positive. Default 1.</summary>
    public double HuberDelta { get; set; } = 1.0;

    /// <summary>
    /// ε of label smoothing for <see cref="Loss.CrossEntropy"/>, in [0, 1): targets become (1 − ε)·t + ε / classes,
    /// as PyTorch's <c>label_smoothing</c>. Default 0.
    /// </summary>
    public double LabelSmoothing { get; set; }
}
