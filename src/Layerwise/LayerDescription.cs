namespace Layerwise;

/// <summary>The kind of a declared layer.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer with weight [outputs, inputs], an optional bias [outputs] and an activation.</summary>
    Dense,

    /// <summary>Layer normalization over the features of one sample, with gain and bias [features].</summary>
    LayerNorm,

    /// <summary>Batch normalization per feature, with gain and bias [features] and running mean and variance as state.</summary>
    BatchNorm,

    /// <summary>Root-mean-square normalization over the features of one sample, with gain [features].</summary>
    RMSNorm,

    /// <summary>A standalone activation function.</summary>
    Activation,

    /// <summary>Dropout, active only in training.</summary>
    Dropout,

    /// <summary>Additive Gaussian noise, active only in training.</summary>
    GaussianNoise,

    /// <summary>Per-feature standardization of the input, with mean and standard deviation [features] as state.</summary>
    Standardize,

    /// <summary>A residual connection adding an earlier layer's output.</summary>
    Residual,
}

/// <summary>One layer of a generated network, as <see cref="INetwork{T}.Layers"/> lists it.</summary>
/// <param name="Kind">What the layer computes.</param>
/// <param name="InputSize">The number of values the layer reads per sample.</param>
/// <param name="OutputSize">The number of values the layer writes per sample.</param>
/// <param name="Activation">The activation of a Dense or Activation layer; <see cref="Activation.Identity"/> for other kinds.</param>
/// <param name="ParameterOffset">The index of the layer's first parameter in <see cref="INetwork{T}.Parameters"/>.</param>
/// <param name="ParameterCount">
/// The number of parameters of the layer, in this order: Dense weight, bias and then its activation's parameters;
/// LayerNorm and BatchNorm gain then bias; RMSNorm gain; Activation its activation's parameters. An activation's
/// parameters are the PReLU slopes [outputs], then β of a learnable SiLU, then the adaptive slope a.
/// </param>
/// <param name="Epsilon">ε of a normalization layer; zero for other kinds.</param>
public sealed record LayerDescription(
    LayerKind Kind,
    int InputSize,
    int OutputSize,
    Activation Activation,
    int ParameterOffset,
    int ParameterCount,
    double Epsilon = 0)
{
    /// <summary>Whether a Dense layer has a bias; false for other kinds.</summary>
    public bool HasBias { get; init; }

    /// <summary>Whether the layer's weight and bias always get zero gradients.</summary>
    public bool Frozen { get; init; }

    /// <summary>The index of the layer's first value in <see cref="INetwork{T}.State"/>.</summary>
    public int StateOffset { get; init; }

    /// <summary>The number of state values: BatchNorm running mean then variance, Standardize mean then standard deviation.</summary>
    public int StateCount { get; init; }

    /// <summary>The running-statistics momentum of BatchNorm; zero for other kinds.</summary>
    public double Momentum { get; init; }

    /// <summary>The dropout probability, or the standard deviation of Gaussian noise; zero for other kinds.</summary>
    public double Rate { get; init; }

    /// <summary>The layer number whose output a residual connection adds (0 for the input); −1 for other kinds.</summary>
    public int ResidualFrom { get; init; } = -1;

    /// <summary>α of LeakyReLU or ELU; zero for other activations.</summary>
    public double Alpha { get; init; }

    /// <summary>Whether GELU uses the tanh approximation.</summary>
    public bool Approximate { get; init; }

    /// <summary>Whether SiLU's β is learned.</summary>
    public bool LearnableBeta { get; init; }

    /// <summary>n of the adaptive slope f(n·a·x); zero when the activation has none.</summary>
    public double AdaptiveSlope { get; init; }

    /// <summary>The index of the layer's output in the record that <see cref="INetwork{T}.ForwardLayers"/> writes.</summary>
    public int RecordOffset { get; init; }

    /// <summary>The number of weights of a dense layer (OutputSize × InputSize); zero for other kinds.</summary>
    public int WeightCount => Kind == LayerKind.Dense ? InputSize * OutputSize : 0;

    /// <summary>The index in <see cref="INetwork{T}.Parameters"/> of the activation's first parameter.</summary>
    public int ActivationParameterOffset =>
        ParameterOffset + WeightCount + (Kind == LayerKind.Dense && HasBias ? OutputSize : 0);
}
