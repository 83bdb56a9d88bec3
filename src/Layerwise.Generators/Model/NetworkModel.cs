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
internal sealed record NetworkModel(
    string? Namespace,
    string TypeName,
    string TypeKeyword,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    LossKind Loss,
    int InputSize,
    EquatableArray<LayerModel> Layers)
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

/// <summary>A type that contains the network class; the generated code repeats it as a partial declaration.</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="Name">The simple name, with '@' when it is a keyword.</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>One declared layer after the input.</summary>
/// <param name="Kind">What the layer computes.</param>
/// <param name="Units">The number of outputs (for LayerNorm, the number of features it normalizes).</param>
/// <param name="Activation">The activation of a dense layer; Identity for LayerNorm.</param>
/// <param name="AttributeIndex">The position of the layer's attribute among the class's attributes.</param>
internal sealed record LayerModel(LayerKind Kind, int Units, ActivationKind Activation, int AttributeIndex);

/// <summary>Layer kinds; mirrors the runtime's LayerKind.</summary>
internal enum LayerKind
{
    Dense,
    LayerNorm,
}

/// <summary>Activations; the values mirror the runtime's <c>Layerwise.Activation</c> enum.</summary>
internal enum ActivationKind
{
    Identity = 0,
    ReLU = 1,
    Sigmoid = 2,
    Tanh = 3,
    Softmax = 4,
}

/// <summary>Losses; the values mirror the runtime's <c>Layerwise.Loss</c> enum.</summary>
internal enum LossKind
{
    MeanSquaredError = 0,
    CrossEntropy = 1,
    BinaryCrossEntropy = 2,
}
