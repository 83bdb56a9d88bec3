using System.Globalization;

namespace Layerwise.Generators.Rules;

/// <summary>
/// Thresholds of the design rules, with their published defaults; each can be overridden in .editorconfig
/// under the key named in its documentation (for example <c>layerwise.saturating_stack.sigmoid_layers = 4</c>).
/// </summary>
internal sealed record RuleOptions
{
    public static RuleOptions Default { get; } = new();

    /// <summary>layerwise.saturating_stack.sigmoid_layers: consecutive hidden sigmoid layers that LW1001 reports.</summary>
    public int SigmoidStackLayers { get; init; } = 3;

    /// <summary>layerwise.saturating_stack.tanh_layers: consecutive hidden tanh layers that LW1001 reports.</summary>
    public int TanhStackLayers { get; init; } = 5;

    /// <summary>layerwise.saturating_stack.strong_sigmoid_layers: from this many sigmoid layers LW1001 words its warning more strongly.</summary>
    public int StrongSigmoidStackLayers { get; init; } = 5;

    /// <summary>layerwise.dropout.max_rate: dropout rates above this draw LW1007.</summary>
    public double MaxDropoutRate { get; init; } = 0.5;

    /// <summary>layerwise.learning_rate.adaptive_warning: Adam, AdamW and RMSprop rates above this draw LW1012.</summary>
    public double AdaptiveLearningRateWarning { get; init; } = LearningRateLimits.AdaptiveWarning;

    /// <summary>layerwise.learning_rate.adaptive_error: Adam, AdamW and RMSprop rates at or above this draw LW1013.</summary>
    public double AdaptiveLearningRateError { get; init; } = LearningRateLimits.AdaptiveError;

    /// <summary>layerwise.learning_rate.sgd_warning: SGD rates above this draw LW1012.</summary>
    public double SgdLearningRateWarning { get; init; } = LearningRateLimits.SgdWarning;

    /// <summary>layerwise.learning_rate.minimum: rates below this draw LW1012, because training barely moves.</summary>
    public double MinLearningRate { get; init; } = LearningRateLimits.Minimum;

    /// <summary>layerwise.initializer.deep_relu_layers: from this many hidden ReLU-family layers, Glorot draws LW1006.</summary>
    public int DeepReLULayers { get; init; } = 3;

    /// <summary>layerwise.relu.min_units: hidden ReLU layers with this many units or fewer draw LW1015.</summary>
    public int NarrowReLUUnits { get; init; } = 2;

    /// <summary>Reads the thresholds from .editorconfig values; <paramref name="lookup"/> returns null for an unset key.</summary>
    public static RuleOptions Read(System.Func<string, string?> lookup) => new()
    {
        SigmoidStackLayers = Int(lookup, "layerwise.saturating_stack.sigmoid_layers", Default.SigmoidStackLayers),
        TanhStackLayers = Int(lookup, "layerwise.saturating_stack.tanh_layers", Default.TanhStackLayers),
        StrongSigmoidStackLayers = Int(lookup, "layerwise.saturating_stack.strong_sigmoid_layers", Default.StrongSigmoidStackLayers),
        MaxDropoutRate = Double(lookup, "layerwise.dropout.max_rate", Default.MaxDropoutRate),
        AdaptiveLearningRateWarning = Double(lookup, "layerwise.learning_rate.adaptive_warning", Default.AdaptiveLearningRateWarning),
        AdaptiveLearningRateError = Double(lookup, "layerwise.learning_rate.adaptive_error", Default.AdaptiveLearningRateError),
        SgdLearningRateWarning = Double(lookup, "layerwise.learning_rate.sgd_warning", Default.SgdLearningRateWarning),
        MinLearningRate = Double(lookup, "layerwise.learning_rate.minimum", Default.MinLearningRate),
        DeepReLULayers = Int(lookup, "layerwise.initializer.deep_relu_layers", Default.DeepReLULayers),
        NarrowReLUUnits = Int(lookup, "layerwise.relu.min_units", Default.NarrowReLUUnits),
    };

    // A value that does not parse keeps the default: .editorconfig has no channel to report it, and a typo
    // must not turn a rule off.
    private static int Int(System.Func<string, string?> lookup, string key, int fallback) =>
        int.TryParse(lookup(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;

    private static double Double(System.Func<string, string?> lookup, string key, double fallback) =>
        double.TryParse(lookup(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && !double.IsInfinity(value)
            ? value
            : fallback;
}
