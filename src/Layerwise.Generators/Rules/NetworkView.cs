using System.Collections.Generic;
using Layerwise.Generators.Model;

namespace Layerwise.Generators.Rules;

/// <summary>
/// The layers of a model as the rules reason about them: which layer is the output, and the activation in
/// effect after each Dense layer, which a standalone [Activation] right after a linear Dense provides.
/// </summary>
internal sealed class NetworkView
{
    public NetworkView(NetworkModel model)
    {
        Model = model;
        Layers = model.Layers;
        OutputDense = -1;
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            if (Layers[i].Kind == LayerKind.Dense)
            {
                OutputDense = i;
                break;
            }
        }
    }

    public NetworkModel Model { get; }

    public EquatableArray<LayerModel> Layers { get; }

    /// <summary>The index of the last Dense layer, which with anything after it forms the output; −1 without one.</summary>
    public int OutputDense { get; }

    /// <summary>
    /// Whether layer <paramref name="index"/> belongs to the output: the last Dense layer or a layer after it, or the
    /// last layer of a network without Dense layers.
    /// </summary>
    public bool IsOutput(int index) => OutputDense >= 0 ? index >= OutputDense : index == Layers.Count - 1;

    /// <summary>
    /// Returns the layer that applies the activation of Dense layer <paramref name="index"/>: the Dense itself, or an
    /// [Activation] that follows a linear Dense across dropout and noise. Returns −1 when none does.
    /// </summary>
    public int ActivationLayerOf(int index)
    {
        LayerModel dense = Layers[index];
        if (dense.Activation.Kind != ActivationKind.Identity)
        {
            return index;
        }

        for (int i = index + 1; i < Layers.Count; i++)
        {
            switch (Layers[i].Kind)
            {
                case LayerKind.Activation:
                    return i;
                case LayerKind.Dropout:
                case LayerKind.GaussianNoise:
                case LayerKind.BatchNorm:
                    continue;
                default:
                    return -1;
            }
        }

        return -1;
    }

    /// <summary>The activation in effect after Dense layer <paramref name="index"/>.</summary>
    public ActivationKind EffectiveActivation(int index)
    {
        int layer = ActivationLayerOf(index);
        return layer < 0 ? ActivationKind.Identity : Layers[layer].Activation.Kind;
    }

    /// <summary>The indices of the Dense layers before the output.</summary>
    public IEnumerable<int> HiddenDense()
    {
        for (int i = 0; i < Layers.Count; i++)
        {
            if (Layers[i].Kind == LayerKind.Dense && !IsOutput(i))
            {
                yield return i;
            }
        }
    }

    /// <summary>The message name of layer <paramref name="index"/>, as the parser spells it: "Layer 3 [Dense]".</summary>
    public string Name(int index) =>
        "Layer " + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " [" + Layers[index].Kind + "]";
}
