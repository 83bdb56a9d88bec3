using System.Collections.Generic;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;

namespace Layerwise.Generators.Rules;

/// <summary>
/// LW1002: a regression loss (mean squared error, mean absolute error, Huber) after a bounded output activation.
/// LW1003: Softmax on a hidden layer. LW1016: a hidden Sigmoid layer in a network whose other hidden layers
/// use rectifier-style activations, where it is the one layer that saturates.
/// </summary>
internal static class OutputRules
{
    public static IEnumerable<Finding> Evaluate(NetworkModel model, int networkAttributeIndex)
    {
        var view = new NetworkView(model);
        if (view.OutputDense >= 0 && model.Loss is LossKind.MeanSquaredError or LossKind.MeanAbsoluteError or LossKind.Huber)
        {
            int activationLayer = view.ActivationLayerOf(view.OutputDense);
            ActivationKind output = view.EffectiveActivation(view.OutputDense);
            (string? range, string advice, string? suggestedLoss) = output switch
            {
                ActivationKind.Sigmoid => ("(0, 1)", "for targets of 0 and 1 use Loss.BinaryCrossEntropy, which the generator fuses with the sigmoid", "BinaryCrossEntropy"),
                ActivationKind.Softmax => ("(0, 1) and sum to 1", "for class targets use Loss.CrossEntropy, which the generator fuses with the softmax", "CrossEntropy"),
                ActivationKind.Tanh => ("(-1, 1)", "use Activation.Identity on the output unless every target lies in that range", null),
                _ => ((string?)null, string.Empty, (string?)null),
            };
            if (range is not null)
            {
                var properties = new List<FindingProperty>();
                var targets = new List<FindingTarget>();
                // The fused losses need the activation on the last layer, a Dense without an adaptive slope; only then
                // does switching the loss produce a declaration that builds.
                bool fusable = activationLayer == view.OutputDense
                    && view.OutputDense == view.Layers.Count - 1
                    && !view.Layers[activationLayer].Activation.HasAdaptiveSlope;
                if (suggestedLoss is not null && fusable)
                {
                    properties.Add(new FindingProperty("Loss", suggestedLoss));
                    targets.Add(FindingTarget.Attribute(networkAttributeIndex));
                }

                yield return new Finding(
                    "LW1002",
                    FindingTarget.Attribute(model.Layers[activationLayer].AttributeIndex),
                    NetworkParser.Arguments(view.Name(activationLayer), output.ToString(), range, model.Loss.ToString(), advice),
                    new EquatableArray<FindingTarget>(targets),
                    new EquatableArray<FindingProperty>(properties));
            }
        }

        // LW1016 needs every other hidden Dense layer to use a rectifier-style activation, so a sigmoid stack (LW1001's
        // subject) or a mixed design does not draw it.
        int hidden = 0;
        int rectifiers = 0;
        foreach (int index in view.HiddenDense())
        {
            hidden++;
            rectifiers += view.EffectiveActivation(index) is ActivationKind.ReLU or ActivationKind.LeakyReLU
                or ActivationKind.PReLU or ActivationKind.ELU or ActivationKind.SELU or ActivationKind.GELU or ActivationKind.SiLU ? 1 : 0;
        }

        bool rectifierNetwork = rectifiers > 0 && rectifiers == hidden - 1;

        for (int i = 0; i < view.Layers.Count; i++)
        {
            LayerModel layer = view.Layers[i];
            if (layer.Kind is not (LayerKind.Dense or LayerKind.Activation) || view.IsOutput(i))
            {
                continue;
            }

            if (layer.Activation.Kind == ActivationKind.Softmax)
            {
                yield return new Finding("LW1003", FindingTarget.Attribute(layer.AttributeIndex), NetworkParser.Arguments(view.Name(i)));
            }
            else if (layer.Activation.Kind == ActivationKind.Sigmoid && rectifierNetwork)
            {
                yield return new Finding("LW1016", FindingTarget.Attribute(layer.AttributeIndex), NetworkParser.Arguments(view.Name(i)));
            }
        }
    }
}
