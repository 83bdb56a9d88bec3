namespace Layerwise.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one network, read once from its declaration. Plain values only
/// (no symbols, syntax or locations), so the incremental pipeline can cache it by value.
/// </summary>
/// <param name="Namespace">The containing namespace as code spells it (keywords with '@'), or null for the global namespace.</param>
/// <param name="TypeName">The simple name of the network class, with '@' when it is a keyword.</param>
/// <param name="TypeKeyword">"class" or "record", as the user's declaration reads.</param>
/// <param name="ContainingTypes">Types the class is nested in, outermost first.</param>
/// <param name="Loss">The declared loss.</param>
/// <param name="InputSize">The size given to [Input].</param>
/// <param name="Layers">The layers after the input, in source order.</param>
/// <param name="ElementType">"float" or "double", the C# element type of the generated network.</param>
/// <param name="HuberDelta">δ of the Huber loss.</param>
/// <param name="LabelSmoothing">ε of label smoothing for cross-entropy; 0 when off.</param>
/// <param name="Training">The declared training defaults, or null without [Training].</param>
internal sealed record NetworkModel(
    string? Namespace,
    string TypeName,
    string TypeKeyword,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    LossKind Loss,
    int InputSize,
    EquatableArray<LayerModel> Layers,
    string ElementType = "float",
    double HuberDelta = 1.0,
    double LabelSmoothing = 0,
    TrainingModel? Training = null)
{
    /// <summary>The number of outputs of the last layer.</summary>
    public int OutputSize => Layers[Layers.Count - 1].Units;

    /// <summary>True when the loss is evaluated from the output layer's logits (softmax or sigmoid fused).</summary>
    public bool FusesOutputActivation => Loss is LossKind.CrossEntropy or LossKind.BinaryCrossEntropy;

    /// <summary>A file name unique within the compilation: namespace, containing types and type name.</summary>
    /// <remarks>
    /// NOTE: class C in namespace A.B and class C nested in class B of namespace A get the same name. C#
    /// rejects that program (CS0101), but the generator then also fails on the duplicate name (CS8785).
    /// </remarks>
    public string HintName
    {
        get
        {
            string prefix = Namespace is null ? string.Empty : Namespace + ".";
            foreach (ContainingTypeModel containing in ContainingTypes)
            {
                prefix += containing.Name + ".";
            }

            // Escaped keywords keep their '@' in code, but a hint name must not contain one.
            return (prefix + TypeName).Replace("@", string.Empty) + ".g.cs";
        }
    }
}

/// <summary>The training defaults of [Training], with unset values resolved to the trainer's defaults.</summary>
/// <param name="Optimizer">The update rule.</param>
/// <param name="LearningRate">The step size.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Epochs">Passes over the data.</param>
/// <param name="AttributeIndex">The position of [Training] among the class's attributes.</param>
internal sealed record TrainingModel(OptimizerKind Optimizer, double LearningRate, double Momentum, int BatchSize, int Epochs, int AttributeIndex)
{
    /// <summary>Returns PyTorch's default learning rate of <paramref name="optimizer"/>.</summary>
    public static double DefaultLearningRate(OptimizerKind optimizer) =>
        optimizer is OptimizerKind.Adam or OptimizerKind.AdamW ? 1e-3 : 1e-2;

    /// <summary>Whether the optimizer scales steps by a running gradient magnitude (Adam, AdamW, RMSprop).</summary>
    public bool IsAdaptive => Optimizer != OptimizerKind.Sgd;
}

/// <summary>Optimizers; the values mirror the runtime's <c>Layerwise.OptimizerKind</c> enum.</summary>
internal enum OptimizerKind
{
    Sgd = 0,
    Adam = 1,
    AdamW = 2,
    RMSprop = 3,
}

/// <summary>A type that contains the network class; the generated code repeats it as a partial declaration.</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="Name">The simple name, with '@' when it is a keyword.</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>One declared layer after the input, with every option the parser resolved.</summary>
/// <param name="Kind">What the layer computes.</param>
/// <param name="Units">The number of outputs; for every kind but Dense, the width of its input.</param>
/// <param name="AttributeIndex">The position of the layer's attribute among the class's attributes.</param>
/// <param name="Activation">The activation of a Dense or Activation layer; Identity for other kinds.</param>
/// <param name="HasBias">Whether a Dense layer adds a bias.</param>
/// <param name="Initializer">How a Dense layer's weights are drawn, already resolved from Default.</param>
/// <param name="Frozen">Whether a Dense layer's weight and bias get zero gradients.</param>
/// <param name="InitializerDeclared">Whether the declaration named the initializer instead of leaving the default.</param>
/// <param name="Epsilon">ε of a normalization layer.</param>
/// <param name="Momentum">The running-statistics momentum of BatchNorm.</param>
/// <param name="Rate">The dropout probability, or σ of Gaussian noise.</param>
/// <param name="ResidualFrom">The layer number a residual connection adds (0 for the input); −1 for other kinds.</param>
internal sealed record LayerModel(
    LayerKind Kind,
    int Units,
    int AttributeIndex,
    ActivationModel Activation,
    bool HasBias = true,
    InitializerKind Initializer = InitializerKind.Glorot,
    bool Frozen = false,
    bool InitializerDeclared = false,
    double Epsilon = 0,
    double Momentum = 0,
    double Rate = 0,
    int ResidualFrom = -1);

/// <summary>An activation function with its options.</summary>
/// <param name="Kind">The function.</param>
/// <param name="Alpha">α of LeakyReLU or ELU, already resolved from the default; 0 for other kinds.</param>
/// <param name="Approximate">Whether GELU uses the tanh form.</param>
/// <param name="LearnableBeta">Whether SiLU's β is a parameter.</param>
/// <param name="AdaptiveSlope">n of the adaptive slope f(n·a·x); 0 when off.</param>
internal sealed record ActivationModel(
    ActivationKind Kind, double Alpha = 0, bool Approximate = false, bool LearnableBeta = false, double AdaptiveSlope = 0)
{
    public static ActivationModel Identity { get; } = new(ActivationKind.Identity);

    /// <summary>Learned slopes of PReLU, one per unit.</summary>
    public bool HasSlopes => Kind == ActivationKind.PReLU;

    public bool HasAdaptiveSlope => AdaptiveSlope > 0;

    /// <summary>Learned activation values per layer: PReLU slopes, then β, then the adaptive slope a.</summary>
    public int ParameterCount(int units) =>
        (HasSlopes ? units : 0) + (LearnableBeta ? 1 : 0) + (HasAdaptiveSlope ? 1 : 0);
}

/// <summary>Layer kinds; mirrors the runtime's LayerKind.</summary>
internal enum LayerKind
{
    Dense,
    LayerNorm,
    BatchNorm,
    RMSNorm,
    Activation,
    Dropout,
    GaussianNoise,
    Standardize,
    Residual,
}

/// <summary>Activations; the values mirror the runtime's <c>Layerwise.Activation</c> enum.</summary>
internal enum ActivationKind
{
    Identity = 0,
    ReLU = 1,
    Sigmoid = 2,
    Tanh = 3,
    Softmax = 4,
    LeakyReLU = 5,
    PReLU = 6,
    ELU = 7,
    SELU = 8,
    GELU = 9,
    SiLU = 10,
    Softplus = 11,
}

/// <summary>Weight initializers; the values mirror the runtime's <c>Layerwise.Initializer</c> enum.</summary>
internal enum InitializerKind
{
    Default = 0,
    He = 1,
    Glorot = 2,
    LeCun = 3,
}

/// <summary>Losses; the values mirror the runtime's <c>Layerwise.Loss</c> enum.</summary>
internal enum LossKind
{
    MeanSquaredError = 0,
    CrossEntropy = 1,
    BinaryCrossEntropy = 2,
    MeanAbsoluteError = 3,
    Huber = 4,
}
