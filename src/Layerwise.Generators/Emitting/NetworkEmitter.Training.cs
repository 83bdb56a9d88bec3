using System.Collections.Generic;
using System.Linq;
using Layerwise.Generators.Model;

namespace Layerwise.Generators.Emitting;

internal static partial class NetworkEmitter
{
    private static void EmitComputeGradients(EmitContext context)
    {
        NetworkModel model = context.Model;
        SourceWriter writer = context.Writer;
        string reduction = model.Loss == LossKind.CrossEntropy ? "averaged over the batch" : "averaged over batch × outputs";
        string targetsDoc = model.Loss == LossKind.CrossEntropy ? ": one-hot rows or probabilities" : string.Empty;
        foreach (bool update in new[] { false, true })
        {
            string name = update ? "ComputeGradientsAndUpdateStatistics" : "ComputeGradients";
            string summary = update
                ? "/// Does what ComputeGradients does and also updates the BatchNorm running statistics in <see cref=\"State\"/>."
                : $"/// Computes the mean loss of a batch in training mode (Loss.{model.Loss}, {reduction}) and overwrites";
            writer.Line("/// <summary>");
            writer.Line(summary);
            if (!update)
            {
                writer.Line("/// <paramref name=\"gradients\"/> with its derivative with respect to <see cref=\"Parameters\"/>. Training mode");
                writer.Line("/// uses batch statistics, and dropout and noise drawn from <see cref=\"NoiseSeed\"/>; frozen layers get zero");
                writer.Line("/// gradients. Changes no parameter and no state; allocates only when a batch is larger than any before.");
            }

            writer.Lines($$"""
                /// </summary>
                /// <param name="inputs">Row-major [batch, <see cref="InputSize"/>]; the batch is inputs.Length / InputSize.</param>
                /// <param name="targets">Row-major [batch, <see cref="OutputSize"/>]{{targetsDoc}}.</param>
                /// <param name="gradients">Exactly <see cref="ParameterCount"/> values, overwritten.</param>
                /// <returns>The mean loss.</returns>
                /// <exception cref="global::System.ArgumentException">A span has the wrong length.</exception>
                public {{context.T}} {{name}}({{context.ReadOnlySpan}} inputs, {{context.ReadOnlySpan}} targets, {{context.Span}} gradients)
                {
                    int batch = {{Runtime}}.ThrowHelper.GetRowCount(inputs.Length, InputSize, nameof(inputs));
                    {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers((long)batch * OutputSize, targets.Length, nameof(targets));
                    {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(ParameterCount, gradients.Length, nameof(gradients));
                    return LayerwiseTrain(inputs, targets, default, gradients, batch, updateStatistics: {{(update ? "true" : "false")}});
                }
                """);
            if (!update)
            {
                writer.Line();
            }
        }

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
            public {{context.T}} ComputeGradients({{context.ReadOnlySpan}} inputs, global::System.ReadOnlySpan<int> labels, {{context.Span}} gradients)
            {
                int batch = {{Runtime}}.ThrowHelper.GetRowCount(inputs.Length, InputSize, nameof(inputs));
                {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(batch, labels.Length, nameof(labels));
                {{Runtime}}.ThrowHelper.ThrowIfLabelOutOfRange(labels, OutputSize, nameof(labels));
                {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(ParameterCount, gradients.Length, nameof(gradients));
                return LayerwiseTrain(inputs, default, labels, gradients, batch, updateStatistics: false);
            }
            """);
    }

    private static void EmitTrain(EmitContext context)
    {
        NetworkModel model = context.Model;
        NetworkLayout layout = context.Layout;
        SourceWriter writer = context.Writer;
        writer.Lines($$"""
            /// <summary>
            /// The training-mode pass over a batch, layer by layer: the forward pass keeps what the backward pass reads
            /// in the workspace slots, then the loss seeds the gradient, which flows back through every layer.
            /// </summary>
            private {{context.T}} LayerwiseTrain({{context.ReadOnlySpan}} inputs, {{context.ReadOnlySpan}} targets, global::System.ReadOnlySpan<int> labels, {{context.Span}} gradients, int batch, bool updateStatistics)
            """);
        writer.OpenBrace();
        writer.Line($"{context.Span} work = LayerwiseWorkspace(batch);");
        writer.Line($"{context.ReadOnlySpan} p = _layerwiseParameters;");
        if (layout.StateCount > 0)
        {
            writer.Line($"{context.Span} state = _layerwiseState;");
        }

        writer.Line($"{context.Span} deltaA = work.Slice(LayerwiseLayout.SlotWidth * batch, LayerwiseLayout.DeltaWidth * batch);");
        writer.Line($"{context.Span} deltaB = work.Slice((LayerwiseLayout.SlotWidth + LayerwiseLayout.DeltaWidth) * batch, LayerwiseLayout.DeltaWidth * batch);");
        writer.Line($"{context.Span} perBatch = work.Slice((LayerwiseLayout.SlotWidth + 2 * LayerwiseLayout.DeltaWidth) * batch);");
        if (!layout.HasBatchNorm)
        {
            writer.Line("_ = updateStatistics;");
            writer.Line("_ = perBatch;");
        }

        foreach (LayerLayout layer in layout.Layers)
        {
            writer.Line();
            EmitTrainingForward(context, layer);
        }

        writer.Line();
        EmitLoss(context);
        EmitGradientClears(context);
        string current = "deltaA";
        string other = "deltaB";
        for (int index = layout.Layers.Count - 1; index >= 0; index--)
        {
            writer.Line();
            if (EmitTrainingBackward(context, layout.Layers[index], current, other))
            {
                (current, other) = (other, current);
            }
        }

        foreach (LayerLayout layer in layout.Layers.Where(layer => layer.Layer.Frozen))
        {
            writer.Line();
            writer.Line($"// Layer {layer.Number} is frozen: its weight and bias keep zero gradients.");
            writer.Line($"gradients.Slice(LayerwiseLayout.Layer{layer.Number}Weight, {layer.WeightCount}).Clear();");
            if (layer.Layer.HasBias)
            {
                writer.Line($"gradients.Slice(LayerwiseLayout.Layer{layer.Number}Bias, {layer.Units}).Clear();");
            }
        }

        writer.Line();
        writer.Line($"return ({context.T})(loss * scale);");
        writer.CloseBrace();
    }

    /// <summary>
    /// Zeroes the gradients that the backward pass adds to. Dense kernels overwrite the gradients of their weight and
    /// bias, so a network of plain Dense layers clears nothing and the step skips a pass over the gradient buffer.
    /// </summary>
    private static void EmitGradientClears(EmitContext context)
    {
        SourceWriter writer = context.Writer;
        foreach (LayerLayout layer in context.Layout.Layers)
        {
            // Parameters are laid out as weight, bias, then the activation's own. Only the first two are overwritten.
            int overwritten = 0;
            if (layer.Layer.Kind == LayerKind.Dense)
            {
                overwritten = layer.Layer.HasBias ? layer.WeightCount + layer.Units : layer.WeightCount;
            }

            int added = layer.ParameterCount - overwritten;
            if (added > 0)
            {
                writer.Line();
                writer.Line(overwritten > 0
                    ? $"// Layer {layer.Number}: the gradients of its activation's parameters are sums over the batch."
                    : $"// Layer {layer.Number} ({layer.Layer.Kind}): its backward kernels add to its gradients.");
                writer.Line($"gradients.Slice({layer.ParameterOffset + overwritten}, {added}).Clear();");
            }
        }
    }

    /// <summary>The slab of layer <paramref name="number"/>'s output in training: a workspace slot, or the inputs for 0.</summary>
    private static string TrainingOutput(int number, int units) =>
        number == 0 ? "inputs" : $"work.Slice(LayerwiseLayout.Layer{number}OutputSlot * batch, batch * {units})";

    private static string Slot(int number, string slot, int units) =>
        $"work.Slice(LayerwiseLayout.Layer{number}{slot} * batch, batch * {units})";

    private static void EmitTrainingForward(EmitContext context, LayerLayout layer)
    {
        SourceWriter writer = context.Writer;
        int n = layer.Number;
        int units = layer.Units;
        string x = n == 1 ? "inputs" : $"layer{n - 1}Output";
        string y = $"layer{n}Output";
        writer.Line($"// Layer {n}: {layer.Describe()}");
        writer.Line($"{context.Span} {y} = {TrainingOutput(n, units)};");
        string? scaled = null;
        if (layer.ScaledSlot >= 0)
        {
            scaled = $"layer{n}Scaled";
            writer.Line($"{context.Span} {scaled} = {Slot(n, "ScaledSlot", units)};");
        }

        switch (layer.Layer.Kind)
        {
            case LayerKind.Dense:
                string target = y;
                if (layer.PreSlot >= 0)
                {
                    target = $"layer{n}Pre";
                    writer.Line($"{context.Span} {target} = {Slot(n, "PreSlot", units)};");
                }

                string bias = layer.Layer.HasBias ? $"p.Slice(LayerwiseLayout.Layer{n}Bias, {units})" : "default";
                string? fused = layer.FusedTrainingActivation;

                // One matrix product for the whole batch: each weight row loaded feeds several samples.
                writer.Line($"{Kernels}.DenseBatchKernels.Forward(p.Slice(LayerwiseLayout.Layer{n}Weight, {layer.WeightCount}), {bias}, {x}, {target}, {layer.InputWidth}, {units}{BatchForwardOptions(layer, fused)});");
                if (layer.HasActivation && fused is null)
                {
                    EmitActivationForward(context, layer, target, y, scaled, "batch");
                }

                break;
            case LayerKind.Activation:
                EmitActivationForward(context, layer, x, y, scaled, "batch");
                break;
            case LayerKind.LayerNorm:
            case LayerKind.RMSNorm:
                writer.Line($"{context.Span} layer{n}Normalized = {Slot(n, "NormalizedSlot", units)};");
                writer.Line($"{context.Span} layer{n}InverseStd = {Slot(n, "InverseStdSlot", 1)};");
                writer.Line("for (int row = 0; row < batch; row++)");
                writer.OpenBrace();
                string rowArgs = $"{x}.Slice(row * {units}, {units})";
                string gain = $"p.Slice(LayerwiseLayout.Layer{n}Gain, {units})";
                writer.Line(layer.Layer.Kind == LayerKind.LayerNorm
                    ? $"layer{n}InverseStd[row] = {Kernels}.LayerNormKernels.Forward({rowArgs}, {gain}, p.Slice(LayerwiseLayout.Layer{n}Bias, {units}), {y}.Slice(row * {units}, {units}), layer{n}Normalized.Slice(row * {units}, {units}), {context.Literal(layer.Layer.Epsilon)});"
                    : $"layer{n}InverseStd[row] = {Kernels}.RMSNormKernels.Forward({rowArgs}, {gain}, {y}.Slice(row * {units}, {units}), layer{n}Normalized.Slice(row * {units}, {units}), {context.Literal(layer.Layer.Epsilon)});");
                writer.CloseBrace();
                break;
            case LayerKind.BatchNorm:
                writer.Line($"{context.Span} layer{n}Normalized = {Slot(n, "NormalizedSlot", units)};");
                writer.Line($"{context.Span} layer{n}Mean = perBatch.Slice(LayerwiseLayout.Layer{n}BatchMean, {units});");
                writer.Line($"{context.Span} layer{n}InverseStd = perBatch.Slice(LayerwiseLayout.Layer{n}BatchInverseStd, {units});");
                writer.Line($"{context.Span} layer{n}Variance = perBatch.Slice(LayerwiseLayout.Layer{n}BatchVariance, {units});");
                writer.Line($"{Kernels}.BatchNormKernels.ForwardTraining({x}, p.Slice(LayerwiseLayout.Layer{n}Gain, {units}), p.Slice(LayerwiseLayout.Layer{n}Bias, {units}),");
                writer.Line($"    {y}, layer{n}Normalized, layer{n}Mean, layer{n}InverseStd, layer{n}Variance, {context.Literal(layer.Layer.Epsilon)});");
                writer.Line("if (updateStatistics)");
                writer.OpenBrace();
                writer.Line($"{Kernels}.BatchNormKernels.UpdateRunningStatistics(layer{n}Mean, layer{n}Variance, batch, {context.Literal(layer.Layer.Momentum)},");
                writer.Line($"    state.Slice(LayerwiseLayout.Layer{n}State, {units}), state.Slice(LayerwiseLayout.Layer{n}State + {units}, {units}));");
                writer.CloseBrace();
                break;
            case LayerKind.Dropout:
                writer.Line($"{context.Span} layer{n}Mask = {Slot(n, "MaskSlot", units)};");
                writer.Line($"{Kernels}.NoiseKernels.DropoutMask(layer{n}Mask, {Format(layer.Layer.Rate)}, NoiseSeed, stream: {n});");
                writer.Line($"global::System.Numerics.Tensors.TensorPrimitives.Multiply({x}, layer{n}Mask, {y});");
                break;
            case LayerKind.GaussianNoise:
                writer.Line($"{x}.CopyTo({y});");
                writer.Line($"{Kernels}.NoiseKernels.AddGaussianNoise({y}, {Format(layer.Layer.Rate)}, NoiseSeed, stream: {n});");
                break;
            case LayerKind.Standardize:
                writer.Line($"{Kernels}.StandardizeKernels.Forward({x}, state.Slice(LayerwiseLayout.Layer{n}State, {units}), state.Slice(LayerwiseLayout.Layer{n}State + {units}, {units}), {y});");
                break;
            case LayerKind.Residual:
                string source = layer.Layer.ResidualFrom == 0 ? "inputs" : $"layer{layer.Layer.ResidualFrom}Output";
                writer.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({x}, {source}, {y});");
                break;
        }
    }

    private static void EmitLoss(EmitContext context)
    {
        NetworkModel model = context.Model;
        SourceWriter writer = context.Writer;
        LayerLayout output = context.Layout.Output;
        int n = output.Number;
        string t = context.T;
        string scale = model.Loss == LossKind.CrossEntropy ? $"({t})1 / batch" : $"({t})1 / (({t})batch * OutputSize)";
        writer.Line($"// Loss: Loss.{model.Loss}; the gradient of each sample's loss goes to deltaA.");
        writer.Line($"{t} scale = {scale};");
        writer.Line("double loss = 0;");
        writer.Line("for (int row = 0; row < batch; row++)");
        writer.OpenBrace();
        string outputRow = $"layer{n}Output.Slice(row * OutputSize, OutputSize)";
        string logitsRow = $"layer{n}Pre.Slice(row * OutputSize, OutputSize)";
        string targetRow = "targets.Slice(row * OutputSize, OutputSize)";
        string delta = "deltaA.Slice(row * OutputSize, OutputSize)";
        string smoothing = model.LabelSmoothing > 0 ? context.Literal(model.LabelSmoothing) + ", " : string.Empty;
        switch (model.Loss)
        {
            case LossKind.CrossEntropy:
                writer.Line($"loss += labels.IsEmpty");
                writer.Line($"    ? {Kernels}.LossKernels.SoftmaxCrossEntropy({logitsRow}, {outputRow}, {targetRow}, {smoothing}scale, {delta})");
                writer.Line($"    : {Kernels}.LossKernels.SoftmaxCrossEntropy({logitsRow}, {outputRow}, labels[row], {smoothing}scale, {delta});");
                break;
            case LossKind.BinaryCrossEntropy:
                writer.Line($"loss += {Kernels}.LossKernels.SigmoidBinaryCrossEntropy({logitsRow}, {outputRow}, {targetRow}, scale, {delta});");
                break;
            case LossKind.MeanAbsoluteError:
                writer.Line($"loss += {Kernels}.LossKernels.MeanAbsoluteError({outputRow}, {targetRow}, scale, {delta});");
                break;
            case LossKind.Huber:
                writer.Line($"loss += {Kernels}.LossKernels.Huber({outputRow}, {targetRow}, {context.Literal(model.HuberDelta)}, scale, {delta});");
                break;
            default:
                writer.Line($"loss += {Kernels}.LossKernels.MeanSquaredError({outputRow}, {targetRow}, scale, {delta});");
                break;
        }

        writer.CloseBrace();
    }

    /// <summary>
    /// Writes the backward pass of one layer. <paramref name="current"/> contains d(loss)/d(output) as rows of the
    /// layer's width. Returns true when the layer wrote d(loss)/d(input) into <paramref name="other"/> (the
    /// buffers then swap), false when it transformed <paramref name="current"/> in place.
    /// </summary>
    private static bool EmitTrainingBackward(EmitContext context, LayerLayout layer, string current, string other)
    {
        SourceWriter writer = context.Writer;
        NetworkModel model = context.Model;
        int n = layer.Number;
        int units = layer.Units;
        bool first = n == 1;
        string g = $"{current}.Slice(0, batch * {units})";
        string dx = $"{other}.Slice(0, batch * {layer.InputWidth})";
        string x = first ? "inputs" : $"layer{n - 1}Output";
        writer.Line($"// Layer {n}: {layer.Describe()}");
        foreach (LayerLayout residual in context.Layout.ResidualsFrom(n))
        {
            writer.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({g}, {Slot(residual.Number, "ResidualGradientSlot", units)}, {g});");
        }

        string? scaled = layer.ScaledSlot >= 0 ? $"layer{n}Scaled" : null;
        switch (layer.Layer.Kind)
        {
            case LayerKind.Dense:
                bool fused = layer.IsOutput && model.FusesOutputActivation;
                if (fused)
                {
                    writer.Line($"// The loss kernel already differentiated through {layer.Activation.Kind}, from the logits.");
                }
                else if (layer.HasActivation)
                {
                    EmitActivationBackward(context, layer, $"layer{n}Pre", scaled, $"layer{n}Output", g, "batch");
                }

                string biasGradient = layer.Layer.HasBias ? $"gradients.Slice(LayerwiseLayout.Layer{n}Bias, {units})" : "default";
                writer.Line($"{Kernels}.DenseBatchKernels.Backward(p.Slice(LayerwiseLayout.Layer{n}Weight, {layer.WeightCount}), {x}, {g},");
                string skip = SkipsZeroInputs(layer) ? ", skipZeroInputs: true" : string.Empty;
                writer.Line($"    gradients.Slice(LayerwiseLayout.Layer{n}Weight, {layer.WeightCount}), {biasGradient}, {(first ? "default" : dx)}, {layer.InputWidth}, {units}, accumulate: false{skip});");
                return !first;
            case LayerKind.Activation:
                EmitActivationBackward(context, layer, x, scaled, $"layer{n}Output", g, "batch");
                return false;
            case LayerKind.LayerNorm:
            case LayerKind.RMSNorm:
                writer.Line("for (int row = 0; row < batch; row++)");
                writer.OpenBrace();
                string normalizedRow = $"layer{n}Normalized.Slice(row * {units}, {units})";
                string gainSpan = $"p.Slice(LayerwiseLayout.Layer{n}Gain, {units})";
                string gradientRow = $"{current}.Slice(row * {units}, {units})";
                string inputGradientRow = first ? "default" : $"{other}.Slice(row * {units}, {units})";
                writer.Line(layer.Layer.Kind == LayerKind.LayerNorm
                    ? $"{Kernels}.LayerNormKernels.Backward({normalizedRow}, layer{n}InverseStd[row], {gainSpan}, {gradientRow}, gradients.Slice(LayerwiseLayout.Layer{n}Gain, {units}), gradients.Slice(LayerwiseLayout.Layer{n}Bias, {units}), {inputGradientRow});"
                    : $"{Kernels}.RMSNormKernels.Backward({normalizedRow}, layer{n}InverseStd[row], {gainSpan}, {gradientRow}, gradients.Slice(LayerwiseLayout.Layer{n}Gain, {units}), {inputGradientRow});");
                writer.CloseBrace();
                return !first;
            case LayerKind.BatchNorm:
                writer.Line($"{Kernels}.BatchNormKernels.Backward(layer{n}Normalized, layer{n}InverseStd, p.Slice(LayerwiseLayout.Layer{n}Gain, {units}), {g},");
                writer.Line($"    gradients.Slice(LayerwiseLayout.Layer{n}Gain, {units}), gradients.Slice(LayerwiseLayout.Layer{n}Bias, {units}), {(first ? "default" : dx)});");
                return !first;
            case LayerKind.Dropout:
                writer.Line($"global::System.Numerics.Tensors.TensorPrimitives.Multiply({g}, layer{n}Mask, {g});");
                return false;
            case LayerKind.Residual:
                if (layer.Layer.ResidualFrom > 0)
                {
                    writer.Line($"// The same gradient also reaches layer {layer.Layer.ResidualFrom}, which adds it when its turn comes.");
                    writer.Line($"{g}.CopyTo({Slot(n, "ResidualGradientSlot", units)});");
                }
                else
                {
                    writer.Line("// The input needs no gradient; the previous layer receives this one unchanged.");
                }

                return false;
            case LayerKind.Standardize:
                writer.Line("// Standardize follows the input, which needs no gradient.");
                return false;
            default:
                writer.Line("// Additive noise passes the gradient through unchanged.");
                return false;
        }
    }
}
