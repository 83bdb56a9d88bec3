using System.Collections.Generic;
using System.Globalization;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;

namespace Layerwise.Generators.Rules;

/// <summary>
/// LW1001: consecutive hidden Sigmoid (three or more) or Tanh (five or more) dense layers with no
/// normalization between them. The output layer does not count: its activation is chosen by the loss.
/// </summary>
internal static class SaturatingStackRule
{
    /// <summary>The shortest run of hidden sigmoid layers that is reported; their activations alone scale a gradient by at most 0.25³ ≈ 0.016.</summary>
    public const int SigmoidThreshold = 3;

    /// <summary>The shortest run of hidden tanh layers that is reported.</summary>
    public const int TanhThreshold = 5;

    /// <summary>Returns one finding per run long enough to report, pointing at the run's first layer.</summary>
    public static IEnumerable<Finding> Evaluate(NetworkModel model)
    {
        EquatableArray<LayerModel> layers = model.Layers;
        int hiddenCount = layers.Count - 1;
        int runStart = 0;
        while (runStart < hiddenCount)
        {
            ActivationKind activation = layers[runStart].Activation.Kind;
            bool saturating = layers[runStart].Kind == LayerKind.Dense
                && activation is ActivationKind.Sigmoid or ActivationKind.Tanh;
            int runEnd = runStart + 1;
            while (saturating && runEnd < hiddenCount
                && layers[runEnd].Kind == LayerKind.Dense && layers[runEnd].Activation.Kind == activation)
            {
                runEnd++;
            }

            int length = runEnd - runStart;
            int threshold = activation == ActivationKind.Sigmoid ? SigmoidThreshold : TanhThreshold;
            if (saturating && length >= threshold)
            {
                yield return new Finding(
                    "LW1001",
                    FindingTarget.Attribute(layers[runStart].AttributeIndex),
                    NetworkParser.Arguments(
                        length.ToString(CultureInfo.InvariantCulture),
                        activation.ToString(),
                        "layer " + (runStart + 1).ToString(CultureInfo.InvariantCulture),
                        "layer " + runEnd.ToString(CultureInfo.InvariantCulture),
                        activation == ActivationKind.Sigmoid
                            ? "the sigmoid derivative is at most 0.25, so each layer's activation scales the gradient by 0.25 or less"
                            : "tanh saturates for large inputs, where its derivative falls toward zero"));
            }

            runStart = runEnd;
        }
    }
}
