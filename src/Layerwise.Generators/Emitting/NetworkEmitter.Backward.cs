using Layerwise.Generators.Model;

namespace Layerwise.Generators.Emitting;

internal static partial class NetworkEmitter
{
    private static void EmitComputeGradients(SourceWriter writer, NetworkModel model, NetworkLayout layout)
    {
        string reduction = model.Loss == LossKind.CrossEntropy
            ? "averaged over the batch"
            : "averaged over batch × outputs";
        string scale = model.Loss == LossKind.CrossEntropy ? "1f / batch" : "1f / ((float)batch * OutputSize)";
        writer.Lines($$"""
            /// <summary>
            /// Computes the mean loss of a batch (Loss.{{model.Loss}}, {{reduction}}) and overwrites
            /// <paramref name="gradients"/> with its derivative with respect to <see cref="Parameters"/>.
            /// Changes no parameter and no other state. {{AllocationNote(layout)}}
            /// </summary>
            /// <param name="inputs">Row-major [batch, <see cref="InputSize"/>]; the batch is inputs.Length / InputSize.</param>
            /// <param name="targets">Row-major [batch, <see cref="OutputSize"/>]{{(model.Loss == LossKind.CrossEntropy ? ": one-hot rows or probabilities" : string.Empty)}}.</param>
            /// <param name="gradients">Exactly <see cref="ParameterCount"/> values, overwritten.</param>
            /// <returns>The mean loss.</returns>
            /// <exception cref="global::System.ArgumentException">A span has the wrong length.</exception>
            public float ComputeGradients({{ReadOnlySpan}} inputs, {{ReadOnlySpan}} targets, {{Span}} gradients)
            """);
        writer.OpenBrace();
        writer.Lines($$"""
            int batch = {{Runtime}}.ThrowHelper.GetRowCount(inputs.Length, InputSize, nameof(inputs));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers((long)batch * OutputSize, targets.Length, nameof(targets));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(ParameterCount, gradients.Length, nameof(gradients));
            """);
        EmitScratchDeclaration(writer, layout);
        writer.Lines($$"""
            {{Span}} record = scratch.Slice(0, LayerwiseLayout.RecordSize);
            {{Span}} delta = scratch.Slice(LayerwiseLayout.RecordSize, {{model.OutputSize}});
            float scale = {{scale}};
            double loss = 0;
            gradients.Clear();
            for (int sample = 0; sample < batch; sample++)
            {
                {{ReadOnlySpan}} input = inputs.Slice(sample * InputSize, InputSize);
                {{ReadOnlySpan}} target = targets.Slice(sample * OutputSize, OutputSize);
                LayerwiseForwardRecord(input, record);
                loss += {{LossCall(model, layout, "target")}};
                LayerwiseBackwardRecord(input, record, gradients, scratch);
            }

            return (float)(loss * scale);
            """);
        writer.CloseBrace();

        if (model.Loss != LossKind.CrossEntropy)
        {
            return;
        }

        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// Computes the mean cross-entropy of a batch of class labels and overwrites <paramref name="gradients"/>
            /// with its derivative with respect to <see cref="Parameters"/>. Same as the one-hot overload, without
            /// building one-hot rows.
            /// </summary>
            /// <param name="inputs">Row-major [batch, <see cref="InputSize"/>].</param>
            /// <param name="labels">One class index in [0, <see cref="OutputSize"/>) per sample.</param>
            /// <param name="gradients">Exactly <see cref="ParameterCount"/> values, overwritten.</param>
            /// <returns>The mean loss.</returns>
            /// <exception cref="global::System.ArgumentException">A span has the wrong length or a label is out of range.</exception>
            public float ComputeGradients({{ReadOnlySpan}} inputs, global::System.ReadOnlySpan<int> labels, {{Span}} gradients)
            """);
        writer.OpenBrace();
        writer.Lines($$"""
            int batch = {{Runtime}}.ThrowHelper.GetRowCount(inputs.Length, InputSize, nameof(inputs));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(batch, labels.Length, nameof(labels));
            {{Runtime}}.ThrowHelper.ThrowIfLabelOutOfRange(labels, OutputSize, nameof(labels));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(ParameterCount, gradients.Length, nameof(gradients));
            """);
        EmitScratchDeclaration(writer, layout);
        writer.Lines($$"""
            {{Span}} record = scratch.Slice(0, LayerwiseLayout.RecordSize);
            {{Span}} delta = scratch.Slice(LayerwiseLayout.RecordSize, {{model.OutputSize}});
            float scale = {{scale}};
            double loss = 0;
            gradients.Clear();
            for (int sample = 0; sample < batch; sample++)
            {
                {{ReadOnlySpan}} input = inputs.Slice(sample * InputSize, InputSize);
                LayerwiseForwardRecord(input, record);
                loss += {{LossCall(model, layout, "labels[sample]")}};
                LayerwiseBackwardRecord(input, record, gradients, scratch);
            }

            return (float)(loss * scale);
            """);
        writer.CloseBrace();
    }

    /// <summary>The loss kernel call that returns one sample's loss and writes its gradient into <c>delta</c>.</summary>
    private static string LossCall(NetworkModel model, NetworkLayout layout, string target)
    {
        int n = layout.Output.Number;
        string output = $"record.Slice(LayerwiseLayout.Layer{n}Output, OutputSize)";
        string logits = $"record.Slice(LayerwiseLayout.Layer{n}Logits, OutputSize)";
        return model.Loss switch
        {
            LossKind.CrossEntropy => $"{Runtime}.Kernels.LossKernels.SoftmaxCrossEntropy({logits}, {output}, {target}, scale, delta)",
            LossKind.BinaryCrossEntropy => $"{Runtime}.Kernels.LossKernels.SigmoidBinaryCrossEntropy({logits}, {output}, {target}, scale, delta)",
            _ => $"{Runtime}.Kernels.LossKernels.MeanSquaredError({output}, {target}, scale, delta)",
        };
    }

    private static void EmitLayerwiseBackwardRecord(SourceWriter writer, NetworkModel model, NetworkLayout layout)
    {
        writer.Lines($$"""
            /// <summary>
            /// Adds one sample's gradient to <paramref name="gradients"/>, starting from the loss gradient that the
            /// caller left in the first delta buffer of <paramref name="scratch"/>.
            /// </summary>
            private void LayerwiseBackwardRecord({{ReadOnlySpan}} input, {{ReadOnlySpan}} record, {{Span}} gradients, {{Span}} scratch)
            """);
        writer.OpenBrace();
        writer.Lines($$"""
            {{ReadOnlySpan}} p = _layerwiseParameters;
            {{Span}} deltaA = scratch.Slice(LayerwiseLayout.RecordSize, LayerwiseLayout.DeltaSize);
            {{Span}} deltaB = scratch.Slice(LayerwiseLayout.RecordSize + LayerwiseLayout.DeltaSize, LayerwiseLayout.DeltaSize);
            """);

        // The gradient with respect to the current layer's output sits in one buffer; each layer writes the
        // gradient with respect to its input into the other, and the two swap roles.
        string current = "deltaA";
        string other = "deltaB";
        for (int index = layout.Layers.Count - 1; index >= 0; index--)
        {
            LayerLayout layer = layout.Layers[index];
            int n = layer.Number;
            bool isOutput = index == layout.Layers.Count - 1;
            bool isFirst = index == 0;
            string layerInput = isFirst ? "input" : $"record.Slice(LayerwiseLayout.Layer{n - 1}Output, {layer.InputWidth})";
            string inputGradient = isFirst ? "default" : $"{other}.Slice(0, {layer.InputWidth})";
            string gradient = $"{current}.Slice(0, {layer.Units})";
            writer.Line();
            writer.Line($"// Layer {n}: {layer.Describe()}");
            if (layer.Layer.Kind == LayerKind.LayerNorm)
            {
                writer.Line($"{Runtime}.Kernels.LayerNormKernels.Backward(");
                writer.Line($"    record.Slice(LayerwiseLayout.Layer{n}Normalized, {layer.Units}), record[LayerwiseLayout.Layer{n}InverseStd], p.Slice(LayerwiseLayout.Layer{n}Gain, {layer.Units}), {gradient},");
                writer.Line($"    gradients.Slice(LayerwiseLayout.Layer{n}Gain, {layer.Units}), gradients.Slice(LayerwiseLayout.Layer{n}Bias, {layer.Units}), {inputGradient});");
            }
            else
            {
                bool activationFused = isOutput && model.FusesOutputActivation;
                if (layer.Layer.Activation != ActivationKind.Identity && !activationFused)
                {
                    writer.Line($"{Runtime}.Kernels.ActivationKernels.{layer.Layer.Activation}Backward(record.Slice(LayerwiseLayout.Layer{n}Output, {layer.Units}), {gradient}, {gradient});");
                }
                else if (activationFused)
                {
                    writer.Line($"// The loss kernel already differentiated through {layer.Layer.Activation}, from the logits.");
                }

                writer.Line($"{Runtime}.Kernels.DenseKernels.Backward(");
                writer.Line($"    p.Slice(LayerwiseLayout.Layer{n}Weight, {layer.WeightCount}), {layerInput}, {gradient},");
                writer.Line($"    gradients.Slice(LayerwiseLayout.Layer{n}Weight, {layer.WeightCount}), gradients.Slice(LayerwiseLayout.Layer{n}Bias, {layer.Units}), {inputGradient}, {layer.InputWidth}, {layer.Units});");
            }

            (current, other) = (other, current);
        }

        writer.CloseBrace();
    }
}
