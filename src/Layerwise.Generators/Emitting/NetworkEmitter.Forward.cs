using System.Text;
using Layerwise.Generators.Model;

namespace Layerwise.Generators.Emitting;

internal static partial class NetworkEmitter
{
    private static void EmitForward(SourceWriter writer, NetworkModel model, NetworkLayout layout)
    {
        writer.Lines($$"""
            /// <summary>
            /// Computes the outputs of one sample in inference mode. {{AllocationNote(layout)}} It may run on
            /// several threads at once while no thread writes <see cref="Parameters"/>.
            /// </summary>
            /// <param name="input">Exactly <see cref="InputSize"/> features.</param>
            /// <param name="output">Exactly <see cref="OutputSize"/> values, overwritten with the last layer after its activation.</param>
            /// <exception cref="global::System.ArgumentException">A span has the wrong length.</exception>
            public void Forward({{ReadOnlySpan}} input, {{Span}} output)
            """);
        writer.OpenBrace();
        writer.Lines($$"""
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(InputSize, input.Length, nameof(input));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(OutputSize, output.Length, nameof(output));
            """);
        EmitScratchDeclaration(writer, layout);
        writer.Lines($$"""
            {{Span}} record = scratch.Slice(0, LayerwiseLayout.RecordSize);
            LayerwiseForwardRecord(input, record);
            record.Slice(LayerwiseLayout.Layer{{layout.Output.Number}}Output, OutputSize).CopyTo(output);
            """);
        writer.CloseBrace();
        writer.Line();
        writer.Lines($$"""
            /// <summary>Computes the outputs of <paramref name="batchSize"/> samples in inference mode, one row each.</summary>
            /// <param name="inputs">Row-major [batchSize, <see cref="InputSize"/>].</param>
            /// <param name="outputs">Row-major [batchSize, <see cref="OutputSize"/>], overwritten.</param>
            /// <param name="batchSize">The number of samples, zero or more.</param>
            /// <exception cref="global::System.ArgumentException">A span length does not match <paramref name="batchSize"/>.</exception>
            public void Forward({{ReadOnlySpan}} inputs, {{Span}} outputs, int batchSize)
            """);
        writer.OpenBrace();
        writer.Lines($$"""
            {{Runtime}}.ThrowHelper.ThrowIfNegativeBatchSize(batchSize, nameof(batchSize));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers((long)batchSize * InputSize, inputs.Length, nameof(inputs));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers((long)batchSize * OutputSize, outputs.Length, nameof(outputs));
            """);
        EmitScratchDeclaration(writer, layout);
        writer.Lines($$"""
            {{Span}} record = scratch.Slice(0, LayerwiseLayout.RecordSize);
            for (int sample = 0; sample < batchSize; sample++)
            {
                LayerwiseForwardRecord(inputs.Slice(sample * InputSize, InputSize), record);
                record.Slice(LayerwiseLayout.Layer{{layout.Output.Number}}Output, OutputSize).CopyTo(outputs.Slice(sample * OutputSize, OutputSize));
            }
            """);
        writer.CloseBrace();
    }

    private static void EmitLayerwiseForwardRecord(SourceWriter writer, NetworkModel model, NetworkLayout layout)
    {
        writer.Line("/// <summary>Runs one sample forward and keeps every layer's values in <paramref name=\"record\"/>.</summary>");
        writer.Line($"private void LayerwiseForwardRecord({ReadOnlySpan} input, {Span} record)");
        writer.OpenBrace();
        writer.Line($"{ReadOnlySpan} p = _layerwiseParameters;");
        string previous = "input";
        foreach (LayerLayout layer in layout.Layers)
        {
            writer.Line();
            string output = $"layer{layer.Number}";
            if (layer.Layer.Kind == LayerKind.LayerNorm)
            {
                EmitLayerNormForward(writer, layer, previous, output);
            }
            else
            {
                EmitDenseForward(writer, layer, previous, output);
            }

            previous = output;
        }

        writer.CloseBrace();
    }

    private static void EmitLayerNormForward(SourceWriter writer, LayerLayout layer, string input, string output)
    {
        int n = layer.Number;
        writer.Line($"// Layer {n}: {layer.Describe()}");
        writer.Line($"{Span} {output} = record.Slice(LayerwiseLayout.Layer{n}Output, {layer.Units});");
        writer.Line($"record[LayerwiseLayout.Layer{n}InverseStd] = {Runtime}.Kernels.LayerNormKernels.Forward(");
        writer.Line($"    {input}, p.Slice(LayerwiseLayout.Layer{n}Gain, {layer.Units}), p.Slice(LayerwiseLayout.Layer{n}Bias, {layer.Units}),");
        writer.Line($"    {output}, record.Slice(LayerwiseLayout.Layer{n}Normalized, {layer.Units}), 1e-5f);");
    }

    private static void EmitDenseForward(SourceWriter writer, LayerLayout layer, string input, string output)
    {
        int n = layer.Number;
        string path = layer.IsUnrolled
            ? $"unrolled, {layer.WeightCount} multiply-adds"
            : $"kernel, {layer.WeightCount} multiply-adds";
        writer.Line($"// Layer {n}: {layer.Describe()} ({path})");
        writer.Line($"{Span} {output} = record.Slice(LayerwiseLayout.Layer{n}Output, {layer.Units});");

        // A fused loss reads the pre-activation values, so they get their own slot; otherwise the
        // activation runs in place.
        string preActivation = output;
        if (layer.LogitsOffset >= 0)
        {
            preActivation = "logits";
            writer.Line($"{Span} logits = record.Slice(LayerwiseLayout.Layer{n}Logits, {layer.Units});");
        }

        if (layer.IsUnrolled)
        {
            for (int j = 0; j < layer.Units; j++)
            {
                var sum = new StringBuilder($"{preActivation}[{j}] = p[{layer.BiasOffset + j}]");
                for (int i = 0; i < layer.InputWidth; i++)
                {
                    sum.Append($" + p[{layer.WeightOffset + j * layer.InputWidth + i}] * {input}[{i}]");
                }

                writer.Line(sum.Append(';').ToString());
            }
        }
        else
        {
            writer.Line($"{Runtime}.Kernels.DenseKernels.Forward(");
            writer.Line($"    p.Slice(LayerwiseLayout.Layer{n}Weight, {layer.WeightCount}), p.Slice(LayerwiseLayout.Layer{n}Bias, {layer.Units}), {input}, {preActivation}, {layer.InputWidth}, {layer.Units});");
        }

        if (layer.Layer.Activation != ActivationKind.Identity)
        {
            writer.Line($"{Runtime}.Kernels.ActivationKernels.{layer.Layer.Activation}({preActivation}, {output});");
        }
        else if (preActivation != output)
        {
            writer.Line($"{preActivation}.CopyTo({output});");
        }
    }
}
