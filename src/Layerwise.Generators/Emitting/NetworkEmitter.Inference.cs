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
            /// <remarks>
            /// From {{ProductThresholds.BatchInferenceRows}} samples, chunks of up to {{InferenceChunk(context)}} rows go through the batch matrix kernels,
            /// which may split a large chunk across cores. Their sums run in another order than the one-sample
            /// Forward's, so a row can differ from it in the last bits. Smaller batches run the one-sample pass on
            /// each row. Allocates nothing after the first call on each thread, which creates that thread's
            /// workspace. It may run on several threads at once while no thread writes <see cref="Parameters"/> or
            /// <see cref="State"/>.
            /// </remarks>
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
        writer.Lines($$"""
            if (batchSize >= {{ProductThresholds.BatchInferenceRows}})
            {
                // Whole chunks of rows go through the batch matrix kernels, which reuse each weight they load across rows.
                for (int start = 0; start < batchSize; start += {{InferenceChunk(context)}})
                {
                    int rows = global::System.Math.Min({{InferenceChunk(context)}}, batchSize - start);
                    LayerwiseInferBatch(inputs.Slice(start * InputSize, rows * InputSize), outputs.Slice(start * OutputSize, rows * OutputSize), rows);
                }

                return;
            }

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

    /// <summary>
    /// Returns the maximum number of rows LayerwiseInferBatch takes at once: <see cref="ProductThresholds.BatchInferenceChunk"/>,
    /// fewer where a chunk's record would pass <see cref="ProductThresholds.BatchInferenceValues"/> values.
    /// </summary>
    private static int InferenceChunk(EmitContext context) =>
        System.Math.Max(
            ProductThresholds.BatchInferenceRows,
            System.Math.Min(ProductThresholds.BatchInferenceChunk, ProductThresholds.BatchInferenceValues / context.Layout.RecordSize));

    /// <summary>
    /// Writes LayerwiseInferBatch, the inference pass over a chunk of rows: each Dense layer is one batch matrix
    /// product, and every other layer runs over the whole slab of rows or row by row, as in one sample's pass.
    /// </summary>
    private static void EmitInferBatch(EmitContext context)
    {
        SourceWriter writer = context.Writer;
        int last = context.Layout.Output.Number;
        writer.Lines($$"""
            /// <summary>
            /// Runs <paramref name="rows"/> samples forward in inference mode, layer by layer over the whole chunk, in
            /// this thread's inference workspace.
            /// </summary>
            private void LayerwiseInferBatch({{context.ReadOnlySpan}} inputs, {{context.Span}} outputs, int rows)
            """);
        writer.OpenBrace();
        writer.Line($"{context.ReadOnlySpan} p = _layerwiseParameters;");
        if (context.Layout.StateCount > 0)
        {
            writer.Line($"{context.ReadOnlySpan} state = _layerwiseState;");
        }

        writer.Line($"{context.T}[] workspace = t_layerwiseInference ??= new {context.T}[{InferenceChunk(context)} * LayerwiseLayout.RecordSize];");
        writer.Line($"{context.Span} work = global::System.MemoryExtensions.AsSpan(workspace, 0, rows * LayerwiseLayout.RecordSize);");
        foreach (LayerLayout layer in context.Layout.Layers)
        {
            writer.Line();
            int n = layer.Number;
            int units = layer.Units;
            string x = n == 1 ? "inputs" : $"layer{n - 1}";
            string y = $"layer{n}";
            writer.Line($"// Layer {n}: {layer.Describe()}");
            writer.Line($"{context.Span} {y} = work.Slice(LayerwiseLayout.Layer{n}Output * rows, rows * {units});");
            switch (layer.Layer.Kind)
            {
                case LayerKind.Dense:
                    string bias = layer.Layer.HasBias ? $"p.Slice(LayerwiseLayout.Layer{n}Bias, {units})" : "default";
                    string? fused = layer.FusedInferenceActivation;
                    writer.Line($"{Kernels}.DenseBatchKernels.Forward(p.Slice(LayerwiseLayout.Layer{n}Weight, {layer.WeightCount}), {bias}, {x}, {y}, {layer.InputWidth}, {units}{BatchForwardOptions(layer, fused)});");
                    if (layer.HasActivation && fused is null)
                    {
                        EmitActivationForward(context, layer, y, y, null, "rows");
                    }

                    break;
                case LayerKind.Activation:
                    EmitActivationForward(context, layer, x, y, null, "rows");
                    break;
                default:
                    EmitLayerInference(context, layer, x, y, "inputs", "rows");
                    break;
            }
        }

        writer.Line();
        writer.Line($"layer{last}.CopyTo(outputs);");
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
                default:
                    EmitLayerInference(context, layer, x, y, "input", null);
                    break;
            }
        }

        writer.CloseBrace();
    }

    /// <summary>
    /// Writes the inference pass of a layer that is neither Dense nor Activation, from x to y: one sample's row, or a
    /// slab of <paramref name="rows"/> rows. LayerNorm and RMSNorm normalize each row on its own, so over a slab they
    /// loop over the rows, and the other kinds work on the slab as a whole.
    /// </summary>
    private static void EmitLayerInference(EmitContext context, LayerLayout layer, string x, string y, string networkInput, string? rows)
    {
        SourceWriter writer = context.Writer;
        int n = layer.Number;
        int units = layer.Units;
        switch (layer.Layer.Kind)
        {
            case LayerKind.LayerNorm:
            case LayerKind.RMSNorm:
                string input = x;
                string output = y;
                if (rows is not null)
                {
                    writer.Line($"for (int row = 0; row < {rows}; row++)");
                    writer.OpenBrace();
                    input = $"{x}.Slice(row * {units}, {units})";
                    output = $"{y}.Slice(row * {units}, {units})";
                }

                string gain = $"p.Slice(LayerwiseLayout.Layer{n}Gain, {units})";
                writer.Line(layer.Layer.Kind == LayerKind.LayerNorm
                    ? $"{Kernels}.LayerNormKernels.Forward({input}, {gain}, p.Slice(LayerwiseLayout.Layer{n}Bias, {units}), {output}, default, {context.Literal(layer.Layer.Epsilon)});"
                    : $"{Kernels}.RMSNormKernels.Forward({input}, {gain}, {output}, default, {context.Literal(layer.Layer.Epsilon)});");
                if (rows is not null)
                {
                    writer.CloseBrace();
                }

                break;
            case LayerKind.BatchNorm:
                writer.Line($"{Kernels}.BatchNormKernels.ForwardInference({x}, p.Slice(LayerwiseLayout.Layer{n}Gain, {units}), p.Slice(LayerwiseLayout.Layer{n}Bias, {units}),");
                writer.Line($"    state.Slice(LayerwiseLayout.Layer{n}State, {units}), state.Slice(LayerwiseLayout.Layer{n}State + {units}, {units}), {y}, {context.Literal(layer.Layer.Epsilon)});");
                break;
            case LayerKind.Standardize:
                writer.Line($"{Kernels}.StandardizeKernels.Forward({x}, state.Slice(LayerwiseLayout.Layer{n}State, {units}), state.Slice(LayerwiseLayout.Layer{n}State + {units}, {units}), {y});");
                break;
            case LayerKind.Residual:
                string source = layer.Layer.ResidualFrom == 0 ? networkInput : $"layer{layer.Layer.ResidualFrom}";
                writer.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({x}, {source}, {y});");
                break;
            default:
                writer.Line($"// Inference passes the values through unchanged.");
                writer.Line($"{x}.CopyTo({y});");
                break;
        }
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
