using System.Threading.Tasks;
using Layerwise.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static Layerwise.Generators.Tests.Infrastructure.Verifiers;

namespace Layerwise.Generators.Tests.Analysis;

/// <summary>
/// LW1001: runs of three or more hidden Sigmoid layers, or five or more hidden Tanh layers, with no
/// [LayerNorm] between them. The output layer never counts.
/// </summary>
public sealed class SaturatingStackRuleTests
{
    private const string SigmoidReason = "the sigmoid derivative is at most 0.25, so each layer's activation scales the gradient by 0.25 or less";
    private const string TanhReason = "tanh saturates for large inputs, where its derivative falls toward zero";

    [Fact]
    public Task ThreeSigmoid_WarnsOnFirst()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [{|#0:Dense(16, Activation.Sigmoid)|}]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Warning("3", "Sigmoid", "layer 1", "layer 3", SigmoidReason));
    }

    [Fact]
    public Task ThreeSigmoidAfterReLU_NamesLayers()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [{|#0:Dense(16, Activation.Sigmoid)|}]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Warning("3", "Sigmoid", "layer 2", "layer 4", SigmoidReason));
    }

    [Fact]
    public Task SigmoidWithLayerNorm_IsSilent()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.Sigmoid)]
            [LayerNorm]
            [Dense(16, Activation.Sigmoid)]
            [LayerNorm]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task TwoSigmoid_IsSilent()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task FiveTanh_WarnsOnFirst()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [{|#0:Dense(16, Activation.Tanh)|}]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Warning("5", "Tanh", "layer 1", "layer 5", TanhReason));
    }

    [Fact]
    public Task FourTanh_IsSilent()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task SigmoidOutput_IsNotCounted()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(8)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task MixedSigmoidTanh_IsSilent()
    {
        // Two sigmoid and two tanh layers alternate, so neither kind forms a run.
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Tanh)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task TwoRuns_WarnsOnEach()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [{|#0:Dense(16, Activation.Sigmoid)|}]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [LayerNorm]
            [{|#1:Dense(16, Activation.Sigmoid)|}]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Warning("3", "Sigmoid", "layer 1", "layer 3", SigmoidReason),
            Diagnostic(DiagnosticDescriptors.SaturatingStack, location: 1).WithArguments("3", "Sigmoid", "layer 5", "layer 7", SigmoidReason));
    }

    private static DiagnosticResult Warning(params string[] arguments) =>
        Diagnostic(DiagnosticDescriptors.SaturatingStack).WithArguments(arguments);
}
