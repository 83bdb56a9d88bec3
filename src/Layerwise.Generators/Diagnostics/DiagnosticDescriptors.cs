using Microsoft.CodeAnalysis;

namespace Layerwise.Generators.Diagnostics;

/// <summary>
/// The catalog of every LW diagnostic. IDs: LW0001–LW0099 declarations that cannot be built (errors),
/// LW1001–LW1099 design rules, LW2001–LW2099 information, LW3001–LW3099 training health at run time.
/// Titles and messages live in Resources.resx; the help link of each points at its docs page.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>The address every help link starts with; the ID and ".md" complete it.</summary>
    // NOTE: the repository address is a placeholder until the project's public home is fixed.
    public const string HelpLinkBase = "https://github.com/layerwise/layerwise/blob/main/docs/diagnostics/";

    private const string DeclarationCategory = "Layerwise.Declaration";
    private const string DesignCategory = "Layerwise.Design";
    private const string InformationCategory = "Layerwise.Information";

    /// <summary>LW0001: Network class must be partial.</summary>
    public static readonly DiagnosticDescriptor NotPartial = Create("LW0001", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0002: Network declares no input.</summary>
    public static readonly DiagnosticDescriptor MissingInput = Create("LW0002", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0003: Layer size must be positive.</summary>
    public static readonly DiagnosticDescriptor NonPositiveSize = Create("LW0003", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0004: Loss does not fit the output activation.</summary>
    public static readonly DiagnosticDescriptor LossOutputMismatch = Create("LW0004", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0005: Softmax over a single unit.</summary>
    public static readonly DiagnosticDescriptor SoftmaxSingleUnit = Create("LW0005", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0006: Network type shape is not supported.</summary>
    public static readonly DiagnosticDescriptor UnsupportedType = Create("LW0006", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0007: Layers declared on several partial declarations.</summary>
    public static readonly DiagnosticDescriptor LayersAcrossPartialDeclarations = Create("LW0007", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0008: [Input] must come first, once.</summary>
    public static readonly DiagnosticDescriptor InputNotFirst = Create("LW0008", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0009: Network declares no layers.</summary>
    public static readonly DiagnosticDescriptor NoLayers = Create("LW0009", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0010: Undefined enum value.</summary>
    public static readonly DiagnosticDescriptor UndefinedEnumValue = Create("LW0010", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0011: Network too large.</summary>
    public static readonly DiagnosticDescriptor NetworkTooLarge = Create("LW0011", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0012: Layers declared without [Network].</summary>
    public static readonly DiagnosticDescriptor MissingNetworkAttribute = Create("LW0012", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0013: Layer or network option out of range.</summary>
    public static readonly DiagnosticDescriptor InvalidOption = Create("LW0013", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0014: Residual connection cannot be built.</summary>
    public static readonly DiagnosticDescriptor InvalidResidual = Create("LW0014", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW0015: [Standardize] must follow [Input].</summary>
    public static readonly DiagnosticDescriptor StandardizeNotFirst = Create("LW0015", DeclarationCategory, DiagnosticSeverity.Error);

    /// <summary>LW1001: Deep saturating stack without normalization.</summary>
    public static readonly DiagnosticDescriptor SaturatingStack = Create("LW1001", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1002: Regression loss after a bounded output.</summary>
    public static readonly DiagnosticDescriptor RegressionLossBoundedOutput = Create("LW1002", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1003: Softmax on a hidden layer.</summary>
    public static readonly DiagnosticDescriptor HiddenSoftmax = Create("LW1003", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1004: Linear layers with no activation between them.</summary>
    public static readonly DiagnosticDescriptor StackedLinearLayers = Create("LW1004", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1005: Two activations in a row.</summary>
    public static readonly DiagnosticDescriptor ConsecutiveActivations = Create("LW1005", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1006: Initializer does not fit the activation.</summary>
    public static readonly DiagnosticDescriptor InitializerMismatch = Create("LW1006", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1007: Dropout rate above the limit.</summary>
    public static readonly DiagnosticDescriptor HighDropoutRate = Create("LW1007", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1008: Dropout right before the output layer.</summary>
    public static readonly DiagnosticDescriptor DropoutBeforeOutput = Create("LW1008", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1009: Dropout right before BatchNorm.</summary>
    public static readonly DiagnosticDescriptor DropoutBeforeBatchNorm = Create("LW1009", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1010: BatchNorm with batches of one sample.</summary>
    public static readonly DiagnosticDescriptor BatchNormBatchOfOne = Create("LW1010", DesignCategory, DiagnosticSeverity.Error);

    /// <summary>LW1011: Bias before BatchNorm.</summary>
    public static readonly DiagnosticDescriptor BiasBeforeBatchNorm = Create("LW1011", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1012: Learning rate outside the usable range.</summary>
    public static readonly DiagnosticDescriptor LearningRateOutOfRange = Create("LW1012", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1013: Learning rate no adaptive optimizer survives.</summary>
    public static readonly DiagnosticDescriptor LearningRateUnusable = Create("LW1013", DesignCategory, DiagnosticSeverity.Error);

    /// <summary>LW1014: Hidden layer narrower than the output.</summary>
    public static readonly DiagnosticDescriptor Bottleneck = Create("LW1014", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1015: ReLU layer with very few units.</summary>
    public static readonly DiagnosticDescriptor NarrowReLU = Create("LW1015", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW1016: Sigmoid hidden layer among rectifiers.</summary>
    public static readonly DiagnosticDescriptor HiddenSigmoid = Create("LW1016", DesignCategory, DiagnosticSeverity.Warning);

    /// <summary>LW2001: Network size and cost.</summary>
    public static readonly DiagnosticDescriptor NetworkCost = Create("LW2001", InformationCategory, DiagnosticSeverity.Info);

    /// <summary>Every descriptor, for the analyzer's supported list and for the tests that check docs pages.</summary>
    public static readonly DiagnosticDescriptor[] All =
    [
        NotPartial,
        MissingInput,
        NonPositiveSize,
        LossOutputMismatch,
        SoftmaxSingleUnit,
        UnsupportedType,
        LayersAcrossPartialDeclarations,
        InputNotFirst,
        NoLayers,
        UndefinedEnumValue,
        NetworkTooLarge,
        MissingNetworkAttribute,
        InvalidOption,
        InvalidResidual,
        StandardizeNotFirst,
        SaturatingStack,
        RegressionLossBoundedOutput,
        HiddenSoftmax,
        StackedLinearLayers,
        ConsecutiveActivations,
        InitializerMismatch,
        HighDropoutRate,
        DropoutBeforeOutput,
        DropoutBeforeBatchNorm,
        BatchNormBatchOfOne,
        BiasBeforeBatchNorm,
        LearningRateOutOfRange,
        LearningRateUnusable,
        Bottleneck,
        NarrowReLU,
        HiddenSigmoid,
        NetworkCost,
    ];

    /// <summary>Returns the descriptor with <paramref name="id"/>, or null when there is none.</summary>
    public static DiagnosticDescriptor? Find(string id)
    {
        foreach (DiagnosticDescriptor descriptor in All)
        {
            if (descriptor.Id == id)
            {
                return descriptor;
            }
        }

        return null;
    }

    private static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity) =>
        new(
            id,
            Localized(id + "Title"),
            Localized(id + "Message"),
            category,
            severity,
            isEnabledByDefault: true,
            description: Localized(id + "Description"),
            helpLinkUri: HelpLinkBase + id + ".md");

    private static LocalizableResourceString Localized(string name) =>
        new(name, Resources.ResourceManager, typeof(Resources));
}
