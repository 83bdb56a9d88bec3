namespace Layerwise;

/// <summary>
/// The element-wise (or, for <see cref="Softmax"/>, per-sample) function a layer applies to its
/// pre-activation values.
/// </summary>
/// <remarks>
/// The numeric values are part of the contract between the runtime and the source generator, which
/// reads them from the attribute arguments: never renumber a member.
/// </remarks>
public enum Activation
{
    /// <summary>f(x) = x. PyTorch: no module.</summary>
    Identity = 0,

    /// <summary>f(x) = max(0, x). PyTorch: <c>nn.ReLU</c>.</summary>
    ReLU = 1,

    /// <summary>f(x) = 1 / (1 + e^(−x)). PyTorch: <c>nn.Sigmoid</c>.</summary>
    Sigmoid = 2,

    /// <summary>f(x) = tanh(x). PyTorch: <c>nn.Tanh</c>.</summary>
    Tanh = 3,

    /// <summary>
    /// f(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ) over the units of one sample, computed after subtracting the maximum.
    /// PyTorch: <c>nn.Softmax(dim=-1)</c>.
    /// </summary>
    Softmax = 4,
}
