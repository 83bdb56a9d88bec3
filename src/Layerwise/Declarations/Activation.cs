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

    /// <summary>
    /// f(x) = x for x &gt; 0, α·x otherwise; α from <c>Alpha</c>, default 0.01.
    /// PyTorch: <c>nn.LeakyReLU(negative_slope=α)</c>.
    /// </summary>
    LeakyReLU = 5,

    /// <summary>
    /// f(x)ᵢ = xᵢ for xᵢ &gt; 0, aᵢ·xᵢ otherwise, with one learned slope aᵢ per unit starting at 0.25.
    /// PyTorch: <c>nn.PReLU(num_parameters=units)</c>.
    /// </summary>
    PReLU = 6,

    /// <summary>
    /// f(x) = x for x &gt; 0, α·(eˣ − 1) otherwise; α from <c>Alpha</c>, default 1.
    /// PyTorch: <c>nn.ELU(alpha=α)</c>.
    /// </summary>
    ELU = 7,

    /// <summary>
    /// f(x) = λ·x for x &gt; 0, λ·α·(eˣ − 1) otherwise, with λ ≈ 1.0507 and α ≈ 1.6733
    /// (Klambauer et al., 2017). PyTorch: <c>nn.SELU</c>.
    /// </summary>
    SELU = 8,

    /// <summary>
    /// f(x) = x·Φ(x) = x/2·(1 + erf(x/√2)); with <c>Approximate</c> the tanh form
    /// x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))). PyTorch: <c>nn.GELU(approximate='none' or 'tanh')</c>.
    /// </summary>
    GELU = 9,

    /// <summary>
    /// f(x) = x·σ(β·x), also called Swish; β = 1 unless <c>LearnableBeta</c> makes it one learned value per
    /// layer, starting at 1. PyTorch: <c>nn.SiLU</c> (β fixed at 1).
    /// </summary>
    SiLU = 10,

    /// <summary>
    /// f(x) = log(1 + eˣ), and x itself above 20 where the two agree in float. PyTorch: <c>nn.Softplus()</c>.
    /// </summary>
    Softplus = 11,
}
