using System.Linq;
using System.Text;
using Layerwise.Generators.Model;

namespace Layerwise.Generators.Emitting;

internal static partial class NetworkEmitter
{
    private static void EmitForward(EmitContext context)
    {
        SourceWriter writer = context.Writer;
        int last = context.Layout.Output.Number;
        writer.Lines($$"""
            /// <summary>
            /// Computes the outputs of one sample in inference mode: dropout and noise off, BatchNorm with its running
            /// statistics. {{AllocationNote(context.Layout)}} It may run on several threads at once while no thread
            /// writes <see cref="Parameters"/> or <see cref="State"/>.
            /// </summary>
            /// <param name="input">Exactly <see cref="InputSize"/> features.</param>
            /// <param name="output">Exactly <see cref="OutputSize"/> values, overwritten with the last layer after its activation.</param>
            /// <exception cref="global::System.ArgumentException">A span has the wrong length.</exception>
            public void Forward({{context.ReadOnlySpan}} input, {{context.Span}} output)
            """);
        writer.OpenBrace();
        writer.Lines($$"""
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(InputSize, input.Length, nameof(input));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(OutputSize, output.Length, nameof(output));
            """);
        EmitRecordDeclaration(context);
        writer.Line("LayerwiseInferSample(input, record);");
        EmitOutputCopy(context, "output");
        writer.CloseBrace();
        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// Computes one sample in inference mode and writes every layer's output into <paramref name="record"/>, at the
            /// offsets that <see cref="Layers"/> lists as RecordOffset.
            /// </summary>
            /// <param name="input">Exactly <see cref="InputSize"/> features.</param>
            /// <param name="record">Exactly RecordSize ({{context.Layout.RecordSize}}) values, overwritten.</param>
            /// <exception cref="global::System.ArgumentException">A span has the wrong length.</exception>
            public void ForwardLayers({{context.ReadOnlySpan}} input, {{context.Span}} record)
            {
                {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(InputSize, input.Length, nameof(input));
                {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers(LayerwiseLayout.RecordSize, record.Length, nameof(record));
                LayerwiseInferSample(input, record);
            }
            """);
        writer.Line();
        writer.Lines($$"""
            /// <summary>Computes the outputs of <paramref name="batchSize"/> samples in inference mode, one row each.</summary>
            /// <param name="inputs">Row-major [batchSize, <see cref="InputSize"/>].</param>
            /// <param name="outputs">Row-major [batchSize, <see cref="OutputSize"/>], overwritten.</param>
            /// <param name="batchSize">The number of samples, zero or more.</param>
            /// <exception cref="global::System.ArgumentException">A span length does not match <paramref name="batchSize"/>.</exception>
            public void Forward({{context.ReadOnlySpan}} inputs, {{context.Span}} outputs, int batchSize)
            """);
        writer.OpenBrace();
        writer.Lines($$"""
            {{Runtime}}.ThrowHelper.ThrowIfNegativeBatchSize(batchSize, nameof(batchSize));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers((long)batchSize * InputSize, inputs.Length, nameof(inputs));
            {{Runtime}}.ThrowHelper.ThrowIfLengthDiffers((long)batchSize * OutputSize, outputs.Length, nameof(outputs));
            """);
        EmitRecordDeclaration(context);
        writer.Lines($$"""
            for (int sample = 0; sample < batchSize; sample++)
            {
                LayerwiseInferSample(inputs.Slice(sample * InputSize, InputSize), record);
                record.Slice(LayerwiseLayout.Layer{{last}}Output, OutputSize).CopyTo(outputs.Slice(sample * OutputSize, OutputSize));
            }
            """);
        writer.CloseBrace();
    }

    /// <summary>Outputs up to this many values are copied one by one rather than by a block copy.</summary>
    /// <remarks>
    /// The last activation often stores its few values one at a time, and a block copy reads them with wider loads
    /// that each span several of those stores, which the processor cannot serve from its store buffer. Loads of one
    /// value each are served at once; on a 4-16-16-3 network the block copy cost about 1.5 ns of a 126 ns pass.
    /// </remarks>
    private const int ElementCopyLimit = 16;

    private static void EmitOutputCopy(EmitContext context, string target)
    {
        SourceWriter writer = context.Writer;
        int last = context.Layout.Output.Number;
        if (context.Model.OutputSize <= ElementCopyLimit)
        {
            writer.Lines($$"""
                for (int i = 0; i < OutputSize; i++)
                {
                    {{target}}[i] = record[LayerwiseLayout.Layer{{last}}Output + i];
                }
                """);
        }
        else
        {
            writer.Line($"record.Slice(LayerwiseLayout.Layer{last}Output, OutputSize).CopyTo({target});");
        }
    }

    private static void EmitInferSample(EmitContext context)
    {
        SourceWriter writer = context.Writer;
        writer.Line("/// <summary>Runs one sample forward in inference mode and keeps every layer's output in <paramref name=\"record\"/>.</summary>");
        writer.Line($"private void LayerwiseInferSample({context.ReadOnlySpan} input, {context.Span} record)");
        writer.OpenBrace();
        writer.Line($"{context.ReadOnlySpan} p = _layerwiseParameters;");
        if (context.Layout.StateCount > 0)
        {
            writer.Line($"{context.ReadOnlySpan} state = _layerwiseState;");
        }

        if (context.Layout.Layers.Any(layer => layer.IsUnrolled))
        {
            // Touching the last element first lets the JIT drop the bounds checks of the unrolled constant indices below.
            writer.Line("_ = p[ParameterCount - 1];");
            writer.Line("_ = input[InputSize - 1];");
            writer.Line("_ = record[LayerwiseLayout.RecordSize - 1];");
        }

        foreach (LayerLayout layer in context.Layout.Layers)
        {
            writer.Line();
            string x = layer.Number == 1 ? "input" : $"layer{layer.Number - 1}";
            string y = $"layer{layer.Number}";
            int n = layer.Number;
            int units = layer.Units;
            string path = layer.Layer.Kind == LayerKind.Dense
                ? (layer.IsUnrolled ? $" (unrolled, {layer.WeightCount} multiply-adds)" : $" (kernel, {layer.WeightCount} multiply-adds)")
                : string.Empty;
            writer.Line($"// Layer {n}: {layer.Describe()}{path}");
            writer.Line($"{context.Span} {y} = record.Slice(LayerwiseLayout.Layer{n}Output, {units});");
            switch (layer.Layer.Kind)
            {
                case LayerKind.Dense:
                    EmitDenseInference(context, layer, x, y);
                    if (layer.HasActivation)
                    {
                        EmitActivationForward(context, layer, y, y, null, "1");
                    }

                    break;
                case LayerKind.Activation:
                    EmitActivationForward(context, layer, x, y, null, "1");
                    break;
                case LayerKind.LayerNorm:
                    writer.Line($"{Kernels}.LayerNormKernels.Forward({x}, p.Slice(LayerwiseLayout.Layer{n}Gain, {units}), p.Slice(LayerwiseLayout.Layer{n}Bias, {units}), {y}, default, {context.Literal(layer.Layer.Epsilon)});");
                    break;
                case LayerKind.RMSNorm:
                    writer.Line($"{Kernels}.RMSNormKernels.Forward({x}, p.Slice(LayerwiseLayout.Layer{n}Gain, {units}), {y}, default, {context.Literal(layer.Layer.Epsilon)});");
                    break;
                case LayerKind.BatchNorm:
                    writer.Line($"{Kernels}.BatchNormKernels.ForwardInference({x}, p.Slice(LayerwiseLayout.Layer{n}Gain, {units}), p.Slice(LayerwiseLayout.Layer{n}Bias, {units}),");
                    writer.Line($"    state.Slice(LayerwiseLayout.Layer{n}State, {units}), state.Slice(LayerwiseLayout.Layer{n}State + {units}, {units}), {y}, {context.Literal(layer.Layer.Epsilon)});");
                    break;
                case LayerKind.Standardize:
                    writer.Line($"{Kernels}.StandardizeKernels.Forward({x}, state.Slice(LayerwiseLayout.Layer{n}State, {units}), state.Slice(LayerwiseLayout.Layer{n}State + {units}, {units}), {y});");
                    break;
                case LayerKind.Residual:
                    string source = layer.Layer.ResidualFrom == 0 ? "input" : $"layer{layer.Layer.ResidualFrom}";
                    writer.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({x}, {source}, {y});");
                    break;
                default:
                    writer.Line($"// Inference passes the values through unchanged.");
                    writer.Line($"{x}.CopyTo({y});");
                    break;
            }
        }

        writer.CloseBrace();
    }

    private static void EmitDenseInference(EmitContext context, LayerLayout layer, string x, string y)
    {
        SourceWriter writer = context.Writer;
        int n = layer.Number;
        if (!layer.IsUnrolled)
        {
            string bias = layer.Layer.HasBias ? $"p.Slice(LayerwiseLayout.Layer{n}Bias, {layer.Units})" : "default";
            writer.Line($"{Kernels}.DenseKernels.Forward(");
            writer.Line($"    p.Slice(LayerwiseLayout.Layer{n}Weight, {layer.WeightCount}), {bias}, {x}, {y}, {layer.InputWidth}, {layer.Units});");
            return;
        }

        for (int j = 0; j < layer.Units; j++)
        {
            var sum = new StringBuilder($"{y}[{j}] = ");
            if (layer.Layer.HasBias)
            {
                sum.Append($"p[{layer.BiasOffset + j}] + ");
            }

            for (int i = 0; i < layer.InputWidth; i++)
            {
                sum.Append(i == 0 ? string.Empty : " + ");
                sum.Append($"p[{layer.WeightOffset + j * layer.InputWidth + i}] * {x}[{i}]");
            }

            writer.Line(sum.Append(';').ToString());
        }
    }
}
