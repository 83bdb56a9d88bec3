using System.Collections.Generic;
using System.Linq;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;

namespace Layerwise.Generators.Rules;

/// <summary>
/// LW1006: a declared initializer that does not fit the activation after the layer: He before Sigmoid or
/// Tanh, Glorot in a deep ReLU stack, anything but LeCun before SELU. Only declared initializers are judged.
/// </summary>
internal static class InitializerRule
{
    public static IEnumerable<Finding> Evaluate(NetworkModel model, RuleOptions options)
    {
        var view = new NetworkView(model);
        int reluLayers = view.HiddenDense().Count(index => IsReLUFamily(view.EffectiveActivation(index)));
        for (int i = 0; i < view.Layers.Count; i++)
        {
            LayerModel layer = view.Layers[i];
            if (layer.Kind != LayerKind.Dense || !layer.InitializerDeclared)
            {
                continue;
            }

            ActivationKind activation = view.EffectiveActivation(i);
            (InitializerKind suggested, string reason)? fit = (layer.Initializer, activation) switch
            {
                (InitializerKind.He, ActivationKind.Sigmoid or ActivationKind.Tanh) =>
                    (InitializerKind.Glorot, "He's variance of 2/inputs assumes ReLU halves the signal, so it drives sigmoid and tanh into saturation"),
                (InitializerKind.Glorot, _) when IsReLUFamily(activation) && reluLayers >= options.DeepReLULayers =>
                    (InitializerKind.He, $"ReLU zeroes half the signal, so with Glorot's smaller variance the activations shrink through the {reluLayers} ReLU layers"),
                (not InitializerKind.LeCun, ActivationKind.SELU) =>
                    (InitializerKind.LeCun, "SELU keeps activations normalized only from LeCun normal weights with variance 1/inputs"),
                _ => null,
            };
            if (fit is null)
            {
                continue;
            }

            yield return new Finding(
                "LW1006",
                FindingTarget.Attribute(layer.AttributeIndex),
                NetworkParser.Arguments(view.Name(i), layer.Initializer.ToString(), activation.ToString(), fit.Value.suggested.ToString(), fit.Value.reason),
                Properties: new EquatableArray<FindingProperty>(new[] { new FindingProperty("Initializer", fit.Value.suggested.ToString()) }));
        }
    }

    private static bool IsReLUFamily(ActivationKind activation) =>
        activation is ActivationKind.ReLU or ActivationKind.LeakyReLU or ActivationKind.PReLU;
}
