using System.Collections.Generic;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;

namespace Layerwise.Generators.Rules;

/// <summary>
/// LW1004: two Dense layers with no activation between them, which compose to one linear map.
/// LW1005: an activation directly after another activation.
/// </summary>
internal static class SequenceRules
{
    public static IEnumerable<Finding> Evaluate(NetworkModel model)
    {
        var view = new NetworkView(model);
        EquatableArray<LayerModel> layers = view.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerModel layer = layers[i];
            if (layer.Kind == LayerKind.Dense && layer.Activation.Kind == ActivationKind.Identity && !layer.Activation.HasAdaptiveSlope)
            {
                // Dropout, noise and BatchNorm (affine in inference) leave the map linear.
                for (int j = i + 1; j < layers.Count; j++)
                {
                    LayerKind next = layers[j].Kind;
                    if (next is LayerKind.Dropout or LayerKind.GaussianNoise or LayerKind.BatchNorm)
                    {
                        continue;
                    }

                    if (next == LayerKind.Dense)
                    {
                        yield return new Finding(
                            "LW1004", FindingTarget.Attribute(layer.AttributeIndex), NetworkParser.Arguments(view.Name(i), view.Name(j)));
                    }

                    break;
                }
            }

            bool activates = layer.Kind is LayerKind.Dense or LayerKind.Activation && layer.Activation.Kind != ActivationKind.Identity;
            if (!activates)
            {
                continue;
            }

            for (int j = i + 1; j < layers.Count; j++)
            {
                LayerModel next = layers[j];
                if (next.Kind is LayerKind.Dropout or LayerKind.GaussianNoise)
                {
                    continue;
                }

                if (next.Kind == LayerKind.Activation && next.Activation.Kind != ActivationKind.Identity)
                {
                    yield return new Finding(
                        "LW1005",
                        FindingTarget.Attribute(next.AttributeIndex),
                        NetworkParser.Arguments(view.Name(j), next.Activation.Kind.ToString(), layer.Activation.Kind.ToString(), view.Name(i)));
                }

                break;
            }
        }
    }
}
