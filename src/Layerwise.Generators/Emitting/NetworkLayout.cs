using System;
using System.Collections.Generic;
using Layerwise.Generators.Model;

namespace Layerwise.Generators.Emitting;

/// <summary>
/// Offsets derived from a model: where each layer's parameters sit in the flat buffer (PyTorch's
/// state_dict order) and where each layer's forward values sit in the per-sample record that the
/// backward pass reads.
/// </summary>
internal sealed class NetworkLayout
{
    /// <summary>Dense layers with at most this many multiply-adds are unrolled into scalar statements.</summary>
    /// <remarks>Below one or two vectors of work, a kernel call and its tail handling cost more than the arithmetic.</remarks>
    public const int UnrollLimit = 64;

    /// <summary>Scratch space up to this many floats (64 KiB) lives on the stack; larger scratch is a per-thread array.</summary>
    public const int StackScratchLimit = 16384;

    public NetworkLayout(NetworkModel model)
    {
        int parameterOffset = 0;
        int recordOffset = 0;
        int width = model.InputSize;
        int widest = 0;
        var layers = new List<LayerLayout>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            LayerModel layer = model.Layers[i];
            bool isOutput = i == model.Layers.Count - 1;
            var layout = new LayerLayout(i + 1, layer, width);
            if (layer.Kind == LayerKind.Dense)
            {
                layout.WeightOffset = parameterOffset;
                layout.BiasOffset = parameterOffset + width * layer.Units;
                parameterOffset = layout.BiasOffset + layer.Units;
                if (isOutput && model.FusesOutputActivation)
                {
                    layout.LogitsOffset = recordOffset;
                    recordOffset += layer.Units;
                }
            }
            else
            {
                layout.GainOffset = parameterOffset;
                layout.BiasOffset = parameterOffset + layer.Units;
                parameterOffset = layout.BiasOffset + layer.Units;
                layout.NormalizedOffset = recordOffset;
                layout.InverseStdOffset = recordOffset + layer.Units;
                recordOffset += layer.Units + 1;
            }

            layout.OutputOffset = recordOffset;
            recordOffset += layer.Units;
            widest = Math.Max(widest, layer.Units);
            width = layer.Units;
            layers.Add(layout);
        }

        Layers = layers;
        ParameterCount = parameterOffset;
        RecordSize = recordOffset;
        DeltaSize = widest;
    }

    public IReadOnlyList<LayerLayout> Layers { get; }

    public int ParameterCount { get; }

    /// <summary>Floats of forward values one sample keeps for its backward pass.</summary>
    public int RecordSize { get; }

    /// <summary>Floats in each of the two gradient buffers the backward pass alternates between.</summary>
    public int DeltaSize { get; }

    public int ScratchSize => RecordSize + 2 * DeltaSize;

    public bool ScratchOnStack => ScratchSize <= StackScratchLimit;

    public LayerLayout Output => Layers[Layers.Count - 1];
}

/// <summary>The offsets of one layer; −1 marks an offset the layer does not have.</summary>
internal sealed class LayerLayout
{
    public LayerLayout(int number, LayerModel layer, int inputWidth)
    {
        Number = number;
        Layer = layer;
        InputWidth = inputWidth;
    }

    /// <summary>The 1-based position after the input, as comments and diagnostics count layers.</summary>
    public int Number { get; }

    public LayerModel Layer { get; }

    public int InputWidth { get; }

    public int Units => Layer.Units;

    public int WeightCount => InputWidth * Units;

    public bool IsUnrolled => Layer.Kind == LayerKind.Dense && WeightCount <= NetworkLayout.UnrollLimit;

    public int WeightOffset { get; set; } = -1;

    public int GainOffset { get; set; } = -1;

    public int BiasOffset { get; set; } = -1;

    public int ParameterOffset => Layer.Kind == LayerKind.Dense ? WeightOffset : GainOffset;

    public int ParameterCount => Layer.Kind == LayerKind.Dense ? WeightCount + Units : 2 * Units;

    public int LogitsOffset { get; set; } = -1;

    public int NormalizedOffset { get; set; } = -1;

    public int InverseStdOffset { get; set; } = -1;

    public int OutputOffset { get; set; } = -1;

    public string Describe() => Layer.Kind == LayerKind.Dense
        ? $"Dense {InputWidth} -> {Units}, {Layer.Activation}"
        : $"LayerNorm {Units}";
}
