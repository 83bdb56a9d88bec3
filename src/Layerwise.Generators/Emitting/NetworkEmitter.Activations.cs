using Layerwise.Generators.Model;

namespace Layerwise.Generators.Emitting;

internal static partial class NetworkEmitter
{
    /// <summary>
    /// Writes y = f(x) for a whole slab of rows of <see cref="LayerLayout.Units"/> values. With an adaptive slope,
    /// <paramref name="scaled"/> first receives n·a·x and f reads it.
    /// </summary>
    private static void EmitActivationForward(EmitContext context, LayerLayout layer, string x, string y, string? scaled, string rows)
    {
        SourceWriter writer = context.Writer;
        ActivationModel activation = layer.Activation;
        string input = x;
        if (activation.HasAdaptiveSlope)
        {
            string target = scaled ?? y;
            writer.Line($"global::System.Numerics.Tensors.TensorPrimitives.Multiply({x}, {context.Literal(activation.AdaptiveSlope)} * p[LayerwiseLayout.Layer{layer.Number}AdaptiveSlope], {target});");
            input = target;
        }

        if (activation.Kind == ActivationKind.Softmax)
        {
            // Softmax normalizes each sample's row on its own.
            writer.Line($"for (int row = 0; row < {rows}; row++)");
            writer.OpenBrace();
            writer.Line($"{Kernels}.ActivationKernels.Softmax({input}.Slice(row * {layer.Units}, {layer.Units}), {y}.Slice(row * {layer.Units}, {layer.Units}));");
            writer.CloseBrace();
            return;
        }

        writer.Line(activation.Kind switch
        {
            ActivationKind.ReLU or ActivationKind.Sigmoid or ActivationKind.Tanh =>
                $"{Kernels}.ActivationKernels.{activation.Kind}({input}, {y});",
            ActivationKind.LeakyReLU => $"{Kernels}.ParametricActivationKernels.LeakyReLU({input}, {y}, {context.Literal(activation.Alpha)});",
            ActivationKind.PReLU => $"{Kernels}.ParametricActivationKernels.PReLU({input}, p.Slice(LayerwiseLayout.Layer{layer.Number}Slopes, {layer.Units}), {y});",
            ActivationKind.ELU => $"{Kernels}.ParametricActivationKernels.ELU({input}, {y}, {context.Literal(activation.Alpha)}, {context.Literal(1)});",
            ActivationKind.SELU => $"{Kernels}.ParametricActivationKernels.ELU({input}, {y}, ({context.T}){Kernels}.ParametricActivationKernels.SeluAlpha, ({context.T}){Kernels}.ParametricActivationKernels.SeluScale);",
            ActivationKind.GELU => $"{Kernels}.ParametricActivationKernels.GELU({input}, {y}, approximate: {(activation.Approximate ? "true" : "false")});",
            ActivationKind.SiLU => $"{Kernels}.ParametricActivationKernels.SiLU({input}, {y}, {Beta(context, layer)});",
            ActivationKind.Softplus => $"{Kernels}.ParametricActivationKernels.Softplus({input}, {y});",
            _ => input == y ? "// Identity: the scaled values are the output." : $"{input}.CopyTo({y});",
        });
    }

    /// <summary>
    /// Turns <paramref name="gradient"/> (a slab of d(loss)/d(y)) in place into d(loss)/d(x), accumulating the
    /// gradients of the activation's own parameters. <paramref name="pre"/> is x; <paramref name="scaled"/> is n·a·x
    /// when the activation has an adaptive slope.
    /// </summary>
    private static void EmitActivationBackward(
        EmitContext context, LayerLayout layer, string pre, string? scaled, string output, string gradient, string rows)
    {
        SourceWriter writer = context.Writer;
        ActivationModel activation = layer.Activation;
        int n = layer.Number;
        string x = activation.HasAdaptiveSlope ? scaled! : pre;
        switch (activation.Kind)
        {
            case ActivationKind.ReLU:
            case ActivationKind.Sigmoid:
            case ActivationKind.Tanh:
                writer.Line($"{Kernels}.ActivationKernels.{activation.Kind}Backward({output}, {gradient}, {gradient});");
                break;
            case ActivationKind.Softmax:
                writer.Line($"for (int row = 0; row < {rows}; row++)");
                writer.OpenBrace();
                writer.Line($"{Kernels}.ActivationKernels.SoftmaxBackward({output}.Slice(row * {layer.Units}, {layer.Units}), {gradient}.Slice(row * {layer.Units}, {layer.Units}), {gradient}.Slice(row * {layer.Units}, {layer.Units}));");
                writer.CloseBrace();
                break;
            case ActivationKind.LeakyReLU:
                writer.Line($"{Kernels}.ParametricActivationKernels.LeakyReLUBackward({x}, {gradient}, {gradient}, {context.Literal(activation.Alpha)});");
                break;
            case ActivationKind.PReLU:
                writer.Line($"{Kernels}.ParametricActivationKernels.PReLUBackward({x}, {gradient}, {gradient}, p.Slice(LayerwiseLayout.Layer{n}Slopes, {layer.Units}), gradients.Slice(LayerwiseLayout.Layer{n}Slopes, {layer.Units}));");
                break;
            case ActivationKind.ELU:
                writer.Line($"{Kernels}.ParametricActivationKernels.ELUBackward({x}, {gradient}, {gradient}, {context.Literal(activation.Alpha)}, {context.Literal(1)});");
                break;
            case ActivationKind.SELU:
                writer.Line($"{Kernels}.ParametricActivationKernels.ELUBackward({x}, {gradient}, {gradient}, ({context.T}){Kernels}.ParametricActivationKernels.SeluAlpha, ({context.T}){Kernels}.ParametricActivationKernels.SeluScale);");
                break;
            case ActivationKind.GELU:
                writer.Line($"{Kernels}.ParametricActivationKernels.GELUBackward({x}, {gradient}, {gradient}, approximate: {(activation.Approximate ? "true" : "false")});");
                break;
            case ActivationKind.SiLU:
                string call = $"{Kernels}.ParametricActivationKernels.SiLUBackward({x}, {gradient}, {gradient}, {Beta(context, layer)})";
                writer.Line(activation.LearnableBeta ? $"gradients[LayerwiseLayout.Layer{n}Beta] += {call};" : call + ";");
                break;
            case ActivationKind.Softplus:
                writer.Line($"{Kernels}.ParametricActivationKernels.SoftplusBackward({x}, {gradient}, {gradient});");
                break;
        }

        if (activation.HasAdaptiveSlope)
        {
            // u = n·a·x, so d(loss)/da = n·Σ g_u·x and d(loss)/dx = n·a·g_u.
            string factor = $"{context.Literal(activation.AdaptiveSlope)} * p[LayerwiseLayout.Layer{n}AdaptiveSlope]";
            writer.Line($"gradients[LayerwiseLayout.Layer{n}AdaptiveSlope] += {context.Literal(activation.AdaptiveSlope)} * global::System.Numerics.Tensors.TensorPrimitives.Dot({gradient}, {pre});");
            writer.Line($"global::System.Numerics.Tensors.TensorPrimitives.Multiply({gradient}, {factor}, {gradient});");
        }
    }

    private static string Beta(EmitContext context, LayerLayout layer) =>
        layer.Activation.LearnableBeta ? $"p[LayerwiseLayout.Layer{layer.Number}Beta]" : context.Literal(1);
}
