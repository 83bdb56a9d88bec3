using System;
using System.Collections.Generic;
using Layerwise.Generators.Model;

namespace Layerwise.Generators.Emitting;

/// <summary>
/// Offsets derived from a model: where each layer's parameters and state sit in their flat buffers
/// (PyTorch's state_dict order), where its output sits in the per-sample inference record, and which slots
/// of the training workspace it uses. Training slots are measured in values per sample: a slot at offset o of
/// width w occupies [o·batch, (o + w)·batch) of the workspace as rows of w values.
/// </summary>
internal sealed class NetworkLayout
{
    /// <summary>Dense layers with at most this many multiply-adds may be unrolled into scalar statements in inference.</summary>
    /// <remarks>Above it, unrolled code grows with the layer without getting faster than the kernels.</remarks>
    public const int UnrollLimit = 256;

    /// <summary>Dense layers whose rows have at least this many inputs call the kernels even when small.</summary>
    /// <remarks>
    /// A row of four floats fills a 128-bit vector, and the kernel reduces four rows' sums together. On a 4-16-16-3
    /// network the kernels ran the three layers in about 70 ns against about 160 ns unrolled.
    /// </remarks>
    public const int VectorRowWidth = 4;

    /// <summary>An inference record up to this many values lives on the stack; a larger one is a per-thread array.</summary>
    public const int StackRecordLimit = 16384;

    public NetworkLayout(NetworkModel model)
    {
        ElementType = model.ElementType;
        int parameterOffset = 0;
        int stateOffset = 0;
        int recordOffset = 0;
        int slotOffset = 0;
        int batchSlotOffset = 0;
        int width = model.InputSize;
        int widest = 0;
        var layers = new List<LayerLayout>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            LayerModel layer = model.Layers[i];
            var layout = new LayerLayout(i + 1, layer, width, i == model.Layers.Count - 1) { ParameterOffset = parameterOffset };
            int units = layer.Units;

            // Parameters, in state_dict order.
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    layout.WeightOffset = parameterOffset;
                    parameterOffset += width * units;
                    if (layer.HasBias)
                    {
                        layout.BiasOffset = parameterOffset;
                        parameterOffset += units;
                    }

                    break;
                case LayerKind.LayerNorm:
                case LayerKind.BatchNorm:
                    layout.GainOffset = parameterOffset;
                    layout.BiasOffset = parameterOffset + units;
                    parameterOffset += 2 * units;
                    break;
                case LayerKind.RMSNorm:
                    layout.GainOffset = parameterOffset;
                    parameterOffset += units;
                    break;
            }

            if (layer.Activation.HasSlopes)
            {
                layout.SlopesOffset = parameterOffset;
                parameterOffset += units;
            }

            if (layer.Activation.LearnableBeta)
            {
                layout.BetaOffset = parameterOffset++;
            }

            if (layer.Activation.HasAdaptiveSlope)
            {
                layout.AdaptiveOffset = parameterOffset++;
            }

            layout.ParameterCount = parameterOffset - layout.ParameterOffset;

            // State, beside the parameters.
            if (layer.Kind is LayerKind.BatchNorm or LayerKind.Standardize)
            {
                layout.StateOffset = stateOffset;
                stateOffset += 2 * units;
            }

            // Inference record: every layer's output, so residual connections can read earlier ones.
            layout.RecordOffset = recordOffset;
            recordOffset += units;

            // Training slots.
            bool hasActivation = layout.HasActivation;
            if (layer.Kind == LayerKind.Dense && hasActivation && layout.FusedTrainingActivation is null)
            {
                layout.PreSlot = slotOffset;
                slotOffset += units;
            }

            if (hasActivation && layer.Activation.HasAdaptiveSlope)
            {
                layout.ScaledSlot = slotOffset;
                slotOffset += units;
            }

            if (layer.Kind is LayerKind.LayerNorm or LayerKind.RMSNorm or LayerKind.BatchNorm)
            {
                layout.NormalizedSlot = slotOffset;
                slotOffset += units;
            }

            if (layer.Kind is LayerKind.LayerNorm or LayerKind.RMSNorm)
            {
                layout.InverseStdSlot = slotOffset;
                slotOffset += 1;
            }

            if (layer.Kind == LayerKind.Dropout)
            {
                layout.MaskSlot = slotOffset;
                slotOffset += units;
            }

            if (layer.Kind == LayerKind.Residual)
            {
                layout.ResidualGradientSlot = slotOffset;
                slotOffset += units;
            }

            layout.OutputSlot = slotOffset;
            slotOffset += units;

            if (layer.Kind == LayerKind.BatchNorm)
            {
                layout.BatchMeanOffset = batchSlotOffset;
                layout.BatchInverseStdOffset = batchSlotOffset + units;
                layout.BatchVarianceOffset = batchSlotOffset + 2 * units;
                batchSlotOffset += 3 * units;
            }

            widest = Math.Max(widest, Math.Max(units, width));
            width = units;
            layers.Add(layout);
        }

        Layers = layers;
        ParameterCount = parameterOffset;
        StateCount = stateOffset;
        RecordSize = recordOffset;
        SlotWidth = slotOffset;
        BatchSlotSize = batchSlotOffset;
        DeltaWidth = widest;
    }

    public string ElementType { get; }

    public IReadOnlyList<LayerLayout> Layers { get; }

    public int ParameterCount { get; }

    public int StateCount { get; }

    /// <summary>Values of the inference record of one sample: each layer's output.</summary>
    public int RecordSize { get; }

    /// <summary>Values per sample in the training slots.</summary>
    public int SlotWidth { get; }

    /// <summary>Values per batch (not per sample): BatchNorm's batch statistics.</summary>
    public int BatchSlotSize { get; }

    /// <summary>Values per sample in each of the two gradient buffers the backward pass alternates between.</summary>
    public int DeltaWidth { get; }

    public bool RecordOnStack => RecordSize <= StackRecordLimit;

    public bool HasBatchNorm
    {
        get
        {
            foreach (LayerLayout layer in Layers)
            {
                if (layer.Layer.Kind == LayerKind.BatchNorm)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public LayerLayout Output => Layers[Layers.Count - 1];

    /// <summary>Returns whether any residual connection adds the output of layer <paramref name="number"/>.</summary>
    public IEnumerable<LayerLayout> ResidualsFrom(int number)
    {
        foreach (LayerLayout layer in Layers)
        {
            if (layer.Layer.Kind == LayerKind.Residual && layer.Layer.ResidualFrom == number)
            {
                yield return layer;
            }
        }
    }
}

/// <summary>The offsets of one layer; −1 marks an offset the layer does not have.</summary>
internal sealed class LayerLayout
{
    public LayerLayout(int number, LayerModel layer, int inputWidth, bool isOutput)
    {
        Number = number;
        Layer = layer;
        InputWidth = inputWidth;
        IsOutput = isOutput;
    }

    /// <summary>The 1-based position after the input, as comments and diagnostics count layers.</summary>
    public int Number { get; }

    public LayerModel Layer { get; }

    public ActivationModel Activation => Layer.Activation;

    public int InputWidth { get; }

    public bool IsOutput { get; }

    public int Units => Layer.Units;

    public int WeightCount => Layer.Kind == LayerKind.Dense ? InputWidth * Units : 0;

    public bool IsUnrolled =>
        Layer.Kind == LayerKind.Dense && WeightCount <= NetworkLayout.UnrollLimit && InputWidth < NetworkLayout.VectorRowWidth;

    /// <summary>Whether the layer applies a function: any activation but Identity, or Identity with an adaptive slope.</summary>
    public bool HasActivation =>
        Layer.Kind is LayerKind.Dense or LayerKind.Activation
        && (Activation.Kind != ActivationKind.Identity || Activation.HasAdaptiveSlope);

    /// <summary>
    /// The name of the <c>FusedActivation</c> that the training forward product applies itself, or null when the
    /// activation runs as a separate pass. Hidden ReLU, sigmoid and tanh qualify: their backward passes read only the
    /// activated values, so the values before the activation need no slot. The output layer keeps its slot, because
    /// the cross-entropy losses read the logits.
    /// </summary>
    public string? FusedTrainingActivation => IsOutput ? null : FusedInferenceActivation;

    /// <summary>
    /// The name of the <c>FusedActivation</c> that the batch inference product applies itself, or null when the
    /// activation runs as a separate pass: ReLU, sigmoid and tanh of a Dense layer without an adaptive slope.
    /// </summary>
    public string? FusedInferenceActivation =>
        Layer.Kind != LayerKind.Dense || !HasActivation || Activation.HasAdaptiveSlope
            ? null
            : Activation.Kind switch
            {
                ActivationKind.ReLU => "ReLU",
                ActivationKind.Sigmoid => "Sigmoid",
                ActivationKind.Tanh => "Tanh",
                _ => null,
            };

    public int WeightOffset { get; set; } = -1;

    public int GainOffset { get; set; } = -1;

    public int BiasOffset { get; set; } = -1;

    public int SlopesOffset { get; set; } = -1;

    public int BetaOffset { get; set; } = -1;

    public int AdaptiveOffset { get; set; } = -1;

    /// <summary>The layer's first parameter; for a layer without parameters, where the next layer's begin.</summary>
    public int ParameterOffset { get; set; }

    public int ParameterCount { get; set; }

    public int StateOffset { get; set; } = -1;

    public int StateCount => StateOffset >= 0 ? 2 * Units : 0;

    public int RecordOffset { get; set; } = -1;

    public int PreSlot { get; set; } = -1;

    public int ScaledSlot { get; set; } = -1;

    public int NormalizedSlot { get; set; } = -1;

    public int InverseStdSlot { get; set; } = -1;

    public int MaskSlot { get; set; } = -1;

    public int ResidualGradientSlot { get; set; } = -1;

    public int OutputSlot { get; set; } = -1;

    public int BatchMeanOffset { get; set; } = -1;

    public int BatchInverseStdOffset { get; set; } = -1;

    public int BatchVarianceOffset { get; set; } = -1;

    public string Describe() => Layer.Kind switch
    {
        LayerKind.Dense => $"Dense {InputWidth} -> {Units}, {DescribeActivation()}{(Layer.HasBias ? string.Empty : ", no bias")}{(Layer.Frozen ? ", frozen" : string.Empty)}",
        LayerKind.Activation => $"Activation {DescribeActivation()}, {Units}",
        LayerKind.Residual => $"Residual from layer {Layer.ResidualFrom}, {Units}",
        LayerKind.Dropout => $"Dropout {Layer.Rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, {Units}",
        LayerKind.GaussianNoise => $"GaussianNoise {Layer.Rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, {Units}",
        _ => $"{Layer.Kind} {Units}",
    };

    private string DescribeActivation()
    {
        string text = Activation.Kind.ToString();
        if (Activation.Approximate)
        {
            text += " (tanh approximation)";
        }

        if (Activation.LearnableBeta)
        {
            text += " with learned beta";
        }

        if (Activation.HasAdaptiveSlope)
        {
            text += $" with adaptive slope n = {Activation.AdaptiveSlope.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";
        }

        return text;
    }
}
