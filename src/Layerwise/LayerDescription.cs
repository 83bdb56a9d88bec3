namespace Layerwise;

/// <summary>The kind of a declared layer.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer with weight [outputs, inputs], bias [outputs] and an activation.</summary>
    Dense,

    /// <summary>Layer normalization over the features of one sample, with gain and bias [features].</summary>
    LayerNorm,
}

/// <summary>One layer of a generated network, as <see cref="INetwork{T}.Layers"/> lists it.</summary>
/// <param name="Kind">What the layer computes.</param>
/// <param name="InputSize">The number of values the layer reads per sample.</param>
/// <param name="OutputSize">The number of values the layer writes per sample.</param>
/// <param name="Activation">The activation after a dense layer; <see cref="Activation.Identity"/> for other kinds.</param>
/// <param name="ParameterOffset">The index of the layer's first parameter in <see cref="INetwork{T}.Parameters"/>.</param>
/// <param name="ParameterCount">The number of parameters of the layer: weight then bias for dense, gain then bias for LayerNorm.</param>
/// <param name="Epsilon">The variance epsilon of a normalization layer; zero for other kinds.</param>
public sealed record LayerDescription(
    LayerKind Kind,
    int InputSize,
    int OutputSize,
    Activation Activation,
    int ParameterOffset,
    int ParameterCount,
    double Epsilon = 0)
{
    /// <summary>The number of weights of a dense layer (OutputSize × InputSize); zero for other kinds.</summary>
    public int WeightCount => Kind == LayerKind.Dense ? InputSize * OutputSize : 0;
}
