namespace Layerwise.Kernels;

/// <summary>
/// An activation that <see cref="DenseBatchKernels"/> applies as part of the forward product: each thread runs it over
/// the rows it has just computed, while they are still in its cache, so the layer needs no separate pass and no
/// buffer for the values before the activation.
/// </summary>
public enum FusedActivation
{
    /// <summary>The outputs are X·Wᵀ + b.</summary>
    None = 0,

    /// <summary>max(0, ·), as <see cref="ActivationKernels.ReLU{T}"/> computes it.</summary>
    ReLU = 1,

    /// <summary>1 / (1 + e^(−·)), as <see cref="ActivationKernels.Sigmoid{T}"/> computes it.</summary>
    Sigmoid = 2,

    /// <summary>tanh, as <see cref="ActivationKernels.Tanh{T}"/> computes it.</summary>
    Tanh = 3,
}
