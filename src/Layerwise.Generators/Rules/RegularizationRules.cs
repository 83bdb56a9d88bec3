using System.Collections.Generic;
using System.Globalization;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;

namespace Layerwise.Generators.Rules;

/// <summary>
/// LW1007: a dropout rate above the limit. LW1008: dropout right before the output layer. LW1009: dropout right
/// before BatchNorm. LW1010: BatchNorm with a declared batch size of one. LW1011: a Dense bias right before
/// BatchNorm, which cancels it.
/// </summary>
internal static class RegularizationRules
{
    public static IEnumerable<Finding> Evaluate(NetworkModel model, RuleOptions options)
    {
        var view = new NetworkView(model);
        EquatableArray<LayerModel> layers = view.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerModel layer = layers[i];
            LayerModel? next = i + 1 < layers.Count ? layers[i + 1] : null;
            switch (layer.Kind)
            {
                case LayerKind.Dropout:
                    if (layer.Rate > options.MaxDropoutRate)
                    {
                        yield return new Finding(
                            "LW1007",
                            FindingTarget.Attribute(layer.AttributeIndex),
                            NetworkParser.Arguments(view.Name(i), Format(layer.Rate), Format(options.MaxDropoutRate)));
                    }

                    if (next is not null && i + 1 == view.OutputDense)
                    {
                        yield return new Finding("LW1008", FindingTarget.Attribute(layer.AttributeIndex), NetworkParser.Arguments(view.Name(i)));
                    }

                    if (next is { Kind: LayerKind.BatchNorm })
                    {
                        yield return new Finding(
                            "LW1009", FindingTarget.Attribute(layer.AttributeIndex), NetworkParser.Arguments(view.Name(i), view.Name(i + 1)));
                    }

                    break;
                case LayerKind.BatchNorm when model.Training is { BatchSize: 1 } training:
                    yield return new Finding(
                        "LW1010",
                        FindingTarget.Attribute(layer.AttributeIndex),
                        NetworkParser.Arguments(view.Name(i)),
                        new EquatableArray<FindingTarget>(new[] { FindingTarget.Attribute(training.AttributeIndex) }));
                    break;
                // Only a bias that reaches BatchNorm unchanged is cancelled by its mean; an activation in between keeps it.
                case LayerKind.Dense when layer.HasBias && layer.Activation.Kind == ActivationKind.Identity && !layer.Activation.HasAdaptiveSlope && next is { Kind: LayerKind.BatchNorm }:
                    yield return new Finding(
                        "LW1011", FindingTarget.Attribute(layer.AttributeIndex), NetworkParser.Arguments(view.Name(i), view.Name(i + 1)));
                    break;
            }
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
