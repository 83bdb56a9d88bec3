using System.Threading.Tasks;
using Layerwise.CodeFixes;
using Layerwise.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static Layerwise.Generators.Tests.Infrastructure.Verifiers;

namespace Layerwise.Generators.Tests.Analysis;

/// <summary>The code fixes of the design rules, each on source before and after, and with Fix All.</summary>
public sealed class DesignCodeFixTests
{
    private const string SigmoidStack = """
        using Layerwise;

        [Network(Loss.MeanSquaredError)]
        [Input(8)]
        [{|#0:Dense(16, Activation.Sigmoid)|}]
        [Dense(16, Activation.Sigmoid)]
        [Dense(16, Activation.Sigmoid)]
        [Dense(1)]
        public partial class Net;
        """;

    [Fact]
    public Task SaturatingStack_InsertsLayerNorm()
    {
        const string fixedSource = """
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
        var test = CreateFixTest<InsertLayerNormCodeFixProvider>(SigmoidStack, fixedSource);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.SaturatingStack).WithArguments(StackArguments));

        return test.RunAsync();
    }

    [Theory]
    [InlineData(SwitchActivationCodeFixProvider.ReLUKey, "ReLU")]
    [InlineData(SwitchActivationCodeFixProvider.GELUKey, "GELU")]
    public Task SaturatingStack_SwitchesActivation(string key, string activation)
    {
        string fixedSource = $$"""
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.{{activation}})]
            [Dense(16, Activation.{{activation}})]
            [Dense(16, Activation.{{activation}})]
            [Dense(1)]
            public partial class Net;
            """;
        var test = CreateFixTest<SwitchActivationCodeFixProvider>(SigmoidStack, fixedSource, key);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.SaturatingStack).WithArguments(StackArguments));

        return test.RunAsync();
    }

    [Fact]
    public Task SaturatingStack_FixAllCoversEveryNetwork()
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
            public partial class First;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [{|#1:Dense(16, Activation.Sigmoid)|}]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1)]
            public partial class Second;
            """;
        const string fixedSource = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(1)]
            public partial class First;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(1)]
            public partial class Second;
            """;
        var test = CreateFixTest<SwitchActivationCodeFixProvider>(source, fixedSource, SwitchActivationCodeFixProvider.ReLUKey);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.SaturatingStack, 0).WithArguments(
            "5", "Tanh", "layer 1", "layer 5", "tanh saturates for large inputs, where its derivative falls toward zero"));
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.SaturatingStack, 1).WithArguments(StackArguments));
        test.NumberOfFixAllIterations = 1;

        return test.RunAsync();
    }

    [Fact]
    public Task LossMismatch_ChangesOutputActivation()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [{|#0:Dense(4, Activation.Sigmoid)|}]
            public partial class Net;
            """;
        const string fixedSource = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [Dense(4, Activation.Softmax)]
            public partial class Net;
            """;
        var test = CreateFixTest<MatchLossCodeFixProvider>(source, fixedSource, MatchLossCodeFixProvider.ActivationKey);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.LossOutputMismatch).WithArguments(
            "CrossEntropy", "Softmax", "Dense(4, Activation.Sigmoid)", "Loss.BinaryCrossEntropy"));

        return test.RunAsync();
    }

    [Fact]
    public Task LossMismatch_AddsMissingOutputActivation()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [{|#0:Dense(1)|}]
            public partial class Net;
            """;
        const string fixedSource = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Net;
            """;
        var test = CreateFixTest<MatchLossCodeFixProvider>(source, fixedSource, MatchLossCodeFixProvider.ActivationKey);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.LossOutputMismatch).WithArguments(
            "BinaryCrossEntropy", "Sigmoid", "Dense(1, Activation.Identity)", "Loss.MeanSquaredError"));

        return test.RunAsync();
    }

    [Fact]
    public Task LossMismatch_ChangesLoss()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [{|#0:Dense(4, Activation.Sigmoid)|}]
            public partial class Net;
            """;
        const string fixedSource = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [Dense(4, Activation.Sigmoid)]
            public partial class Net;
            """;
        var test = CreateFixTest<MatchLossCodeFixProvider>(source, fixedSource, MatchLossCodeFixProvider.LossKey);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.LossOutputMismatch).WithArguments(
            "CrossEntropy", "Softmax", "Dense(4, Activation.Sigmoid)", "Loss.BinaryCrossEntropy"));

        return test.RunAsync();
    }

    [Fact]
    public Task RegressionLossAfterSigmoid_ChangesLoss()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanAbsoluteError)]
            [Input(2)]
            [Dense(4, Activation.Sigmoid)]
            [{|#0:Dense(1, Activation.Sigmoid)|}]
            public partial class Net;
            """;
        const string fixedSource = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(2)]
            [Dense(4, Activation.Sigmoid)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Net;
            """;
        var test = CreateFixTest<MatchLossCodeFixProvider>(source, fixedSource, MatchLossCodeFixProvider.LossKey);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.RegressionLossBoundedOutput).WithArguments(
            "Layer 2 [Dense]", "Sigmoid", "(0, 1)", "MeanAbsoluteError",
            "for targets of 0 and 1 use Loss.BinaryCrossEntropy, which the generator fuses with the sigmoid"));

        return test.RunAsync();
    }

    [Fact]
    public Task InitializerMismatch_ReplacesInitializer()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(4)]
            [{|#0:Dense(8, Activation.Tanh, Initializer = Initializer.He)|}]
            [Dense(1)]
            public partial class Net;
            """;
        const string fixedSource = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(8, Activation.Tanh, Initializer = Initializer.Glorot)]
            [Dense(1)]
            public partial class Net;
            """;
        var test = CreateFixTest<ReplaceInitializerCodeFixProvider>(source, fixedSource);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.InitializerMismatch).WithArguments(
            "Layer 1 [Dense]", "He", "Tanh", "Glorot",
            "He's variance of 2/inputs assumes ReLU halves the signal, so it drives sigmoid and tanh into saturation"));

        return test.RunAsync();
    }

    private static readonly string[] StackArguments =
    [
        "3", "Sigmoid", "layer 1", "layer 3",
        "the sigmoid derivative is at most 0.25, so each layer's activation scales the gradient by 0.25 or less",
    ];
}
