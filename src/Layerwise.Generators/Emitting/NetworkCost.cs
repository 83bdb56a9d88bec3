using Layerwise.Generators.Model;

namespace Layerwise.Generators.Emitting;

/// <summary>The size and work of one network, as the analyzer reports it and the generated remarks state it.</summary>
internal sealed class NetworkCost
{
    public long Parameters { get; private set; }

    /// <summary>Multiply-adds of the Dense layers for one sample's forward pass.</summary>
    public long MultiplyAdds { get; private set; }

    /// <summary>Bytes of the per-sample inference record.</summary>
    public long InferenceBytes { get; private set; }

    /// <summary>Bytes of training workspace per sample: the slots and the two gradient buffers.</summary>
    public long TrainingBytes { get; private set; }

    public int DenseLayers { get; private set; }

    /// <summary>Dense layers that call the runtime kernels in inference rather than being unrolled.</summary>
    public int KernelLayers { get; private set; }

    public static NetworkCost Of(NetworkModel model)
    {
        var layout = new NetworkLayout(model);
        int elementBytes = model.ElementType == "double" ? 8 : 4;
        var cost = new NetworkCost
        {
            Parameters = layout.ParameterCount,
            InferenceBytes = (long)layout.RecordSize * elementBytes,
            TrainingBytes = ((long)layout.SlotWidth + 2L * layout.DeltaWidth) * elementBytes,
        };
        foreach (LayerLayout layer in layout.Layers)
        {
            if (layer.Layer.Kind != LayerKind.Dense)
            {
                continue;
            }

            cost.DenseLayers++;
            cost.MultiplyAdds += layer.WeightCount;
            if (!layer.IsUnrolled)
            {
                cost.KernelLayers++;
            }
        }

        return cost;
    }
}
