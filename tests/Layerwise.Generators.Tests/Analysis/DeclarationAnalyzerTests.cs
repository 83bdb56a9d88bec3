using System.Threading.Tasks;
using Layerwise.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static Layerwise.Generators.Tests.Infrastructure.Verifiers;

namespace Layerwise.Generators.Tests.Analysis;

/// <summary>
/// The declaration errors LW0001–LW0011: each is reported at its span with its message arguments, and the
/// corrected declaration reports nothing.
/// </summary>
public sealed class DeclarationAnalyzerTests
{
    private const string ActivationNames = "Identity, ReLU, Sigmoid, Tanh, Softmax, LeakyReLU, PReLU, ELU, SELU, GELU, SiLU, Softplus";
    private const string LossNames = "MeanSquaredError, CrossEntropy, BinaryCrossEntropy, MeanAbsoluteError, Huber";

    [Fact]
    public Task NotPartial_ReportsLW0001()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public class {|#0:Net|}
            {
            }
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.NotPartial).WithArguments("Net"));
    }

    [Fact]
    public Task ContainingTypeNotPartial_ReportsLW0001()
    {
        const string source = """
            using Layerwise;

            public class {|#0:Outer|}
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class Net;
            }
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.NotPartial).WithArguments("Outer"));
    }

    [Fact]
    public Task NetworkInNonPartialNetwork_ReportsLW0001Once()
    {
        // The outer class is a network itself and contains one, so two readings find it lacking 'partial'.
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public class {|#0:Outer|}
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class Inner;
            }
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.NotPartial).WithArguments("Outer"));
    }

    [Fact]
    public Task NonPartialDeclarationAmongParts_ReportsLW0001()
    {
        // The diagnostic points at the declaration without 'partial', where the code fix must add it.
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial class Net
            {
            }

            public class {|#0:Net|}
            {
            }
            """;

        var test = CreateAnalyzerTest(source, Diagnostic(DiagnosticDescriptors.NotPartial).WithArguments("Net"));

        // CS0260 (missing partial modifier) is the compiler's own report of the same mistake.
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS0260").WithLocation(0).WithArguments("Net"));
        return test.RunAsync();
    }

    [Fact]
    public Task Partial_ReportsNothing()
    {
        const string source = """
            using Layerwise;

            public partial class Outer
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class Net;
            }
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task NoInput_ReportsLW0002()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Dense(1)]
            public partial class {|#0:Net|};
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.MissingInput).WithArguments("Net"));
    }

    [Fact]
    public Task InputPresent_ReportsNothing()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(3)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task ZeroInput_ReportsLW0003()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [{|#0:Input(0)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithArguments("[Input]", "0"));
    }

    [Fact]
    public Task NegativeUnits_ReportsLW0003()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(4, Activation.ReLU)]
            [{|#0:Dense(-3)|}]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithArguments("Layer 2 [Dense]", "-3"));
    }

    [Fact]
    public Task PositiveSizes_ReportNothing()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(1)]
            [Dense(4, Activation.ReLU)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task CrossEntropySigmoidOutput_ReportsLW0004()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [{|#0:Dense(3, Activation.Sigmoid)|}]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.LossOutputMismatch).WithArguments("CrossEntropy", "Softmax", "Dense(3, Activation.Sigmoid)", "Loss.BinaryCrossEntropy"));
    }

    [Fact]
    public Task BinaryCrossEntropyLayerNormOutput_ReportsLW0004()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(4)]
            [Dense(2, Activation.Sigmoid)]
            [{|#0:LayerNorm|}]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.LossOutputMismatch).WithArguments("BinaryCrossEntropy", "Sigmoid", "[LayerNorm]", "Loss.MeanSquaredError"));
    }

    [Fact]
    public Task LossFitsOutput_ReportsNothing()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(3, Activation.Softmax)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task SoftmaxOneUnit_ReportsLW0005()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [{|#0:Dense(1, Activation.Softmax)|}]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.SoftmaxSingleUnit).WithArguments("Layer 1 [Dense]"));
    }

    [Fact]
    public Task SigmoidOneUnit_ReportsNothing()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(4)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task GenericClass_ReportsLW0006()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial class {|#0:Net|}<T>;
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.UnsupportedType).WithArguments("Net", "is generic"));
    }

    [Fact]
    public Task StaticClass_ReportsLW0006()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public static partial class {|#0:Net|};
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.UnsupportedType).WithArguments("Net", "is static"));
    }

    [Fact]
    public Task FileLocalClass_ReportsLW0006()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            file partial class {|#0:Net|};
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.UnsupportedType).WithArguments("Net", "is file-local"));
    }

    [Fact]
    public Task NestedInGeneric_ReportsLW0006()
    {
        const string source = """
            using Layerwise;

            public partial class Outer<T>
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class {|#0:Net|};
            }
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.UnsupportedType).WithArguments("Net", "is nested in the generic type 'Outer'"));
    }

    [Fact]
    public Task NestedTwoLevelsInGeneric_NamesGenericType()
    {
        const string source = """
            using Layerwise;

            public partial class Outer<T>
            {
                public partial class Middle
                {
                    [Network(Loss.MeanSquaredError)]
                    [Input(2)]
                    [Dense(1)]
                    public partial class {|#0:Net|};
                }
            }
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.UnsupportedType).WithArguments("Net", "is nested in the generic type 'Outer'"));
    }

    [Fact]
    public Task SealedInternalClass_ReportsNothing()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            internal sealed partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task LayersInTwoFiles_ReportsLW0007()
    {
        var test = CreateAnalyzerTest(
            """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            public partial class Net;
            """,
            Diagnostic(DiagnosticDescriptors.LayersAcrossPartialDeclarations).WithArguments("Net"));
        test.TestState.Sources.Add("""
            using Layerwise;

            [{|#0:Dense(1)|}]
            public partial class Net;
            """);

        return test.RunAsync();
    }

    [Fact]
    public Task LayersInOneOfTwoFiles_ReportsNothing()
    {
        var test = CreateAnalyzerTest("""
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """);
        test.TestState.Sources.Add("""
            public partial class Net
            {
                public override string ToString() => "Net";
            }
            """);

        return test.RunAsync();
    }

    [Fact]
    public Task InputTwice_ReportsLW0008()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [{|#0:Input(3)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.InputNotFirst).WithArguments("Net", "remove the duplicate [Input]"));
    }

    [Fact]
    public Task InputAfterDense_ReportsLW0008()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Dense(4)]
            [{|#0:Input(2)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.InputNotFirst).WithArguments("Net", "move it above the first layer"));
    }

    [Fact]
    public Task InputFirstOnce_ReportsNothing()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(4, Activation.ReLU)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task NoLayers_ReportsLW0009()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [{|#0:Input(2)|}]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.NoLayers).WithArguments("Net"));
    }

    [Fact]
    public Task OneLayer_ReportsNothing()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(2)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task UndefinedActivation_ReportsLW0010()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [{|#0:Dense(3, (Activation)42)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.UndefinedEnumValue).WithArguments("42", "Activation", ActivationNames));
    }

    [Fact]
    public Task UndefinedLoss_ReportsLW0010()
    {
        const string source = """
            using Layerwise;

            [{|#0:Network((Loss)9)|}]
            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.UndefinedEnumValue).WithArguments("9", "Loss", LossNames));
    }

    [Fact]
    public Task CastDefinedValues_ReportNothing()
    {
        // A cast is fine when the value names a member: (Activation)1 is ReLU, (Loss)0 is MeanSquaredError.
        const string source = """
            using Layerwise;

            [Network((Loss)0)]
            [Input(2)]
            [Dense(3, (Activation)1)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task TooManyParameters_ReportsLW0011()
    {
        // (100000 inputs + 1 bias) × 100000 units = 10000100000 parameters.
        const string source = """
            using Layerwise;

            [{|#0:Network(Loss.MeanSquaredError)|}]
            [Input(100000)]
            [Dense(100000)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.NetworkTooLarge).WithArguments("Net", "10000100000", "1073741824"));
    }

    [Fact]
    public Task LargeButAllowed_ReportsNothing()
    {
        // (32767 + 1) × 32767 = 1073709056 parameters, just below the limit of 2^30 = 1073741824.
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(32767)]
            [Dense(32767)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task PrimaryConstructor_ReportsLW0006()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial class {|#0:Net|}(int size);
            """;

        return VerifyAnalyzerAsync(
            source, Diagnostic(DiagnosticDescriptors.UnsupportedType).WithArguments("Net", "has a primary constructor"));
    }

    [Fact]
    public Task NestedInFileLocal_ReportsLW0006()
    {
        const string source = """
            using Layerwise;

            file partial class Outer
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class {|#0:Net|};
            }
            """;

        return VerifyAnalyzerAsync(
            source, Diagnostic(DiagnosticDescriptors.UnsupportedType).WithArguments("Net", "is nested in the file-local type 'Outer'"));
    }

    [Fact]
    public Task LayersWithoutNetwork_ReportsLW0012()
    {
        const string source = """
            using Layerwise;

            [{|#0:Input(2)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.MissingNetworkAttribute).WithArguments("Net"));
    }

    [Fact]
    public Task DenseBeforeInputWithoutNetwork_ReportsLW0012OnDense()
    {
        const string source = """
            using Layerwise;

            [{|#0:Dense(1)|}]
            [{|#1:Input(2)|}]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.MissingNetworkAttribute).WithArguments("Net"),
            Diagnostic(DiagnosticDescriptors.InputNotFirst, 1).WithArguments("Net", "move it above the first layer"));
    }

    [Fact]
    public Task NetworkWithBadArgument_ReportsNoLW0012()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.{|CS0117:Typo|})]
            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task DropoutRateOfOne_ReportsLW0013()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(4, Activation.ReLU)]
            [{|#0:Dropout(1.0)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source, Diagnostic(DiagnosticDescriptors.InvalidOption).WithArguments("Layer 2 [Dropout]", "the rate", "1", "in [0, 1)"));
    }

    [Fact]
    public Task ApproximateOnTanh_ReportsLW0013()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [{|#0:Dense(4, Activation.Tanh, Approximate = true)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.InvalidOption).WithArguments("Layer 1 [Dense]", "Approximate", "true", "false: only GELU has an approximation"));
    }

    [Fact]
    public Task LabelSmoothingOnMse_ReportsLW0013()
    {
        const string source = """
            using Layerwise;

            [{|#0:Network(Loss.MeanSquaredError, LabelSmoothing = 0.1)|}]
            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.InvalidOption).WithArguments("[Network]", "LabelSmoothing", "0.1", "0 unless the loss is CrossEntropy"));
    }

    [Fact]
    public Task ValidOptions_ReportNothing()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.CrossEntropy, LabelSmoothing = 0.1, Precision = Precision.Double)]
            [Input(4)]
            [Standardize]
            [Dense(8, Activation.GELU, Approximate = true, Bias = false)]
            [BatchNorm(Momentum = 0.2, Epsilon = 1e-3)]
            [Activation(Activation.SiLU, LearnableBeta = true, AdaptiveSlope = 2)]
            [Dropout(0.5)]
            [Dense(8, Activation.LeakyReLU, Alpha = 0.2)]
            [Residual(3)]
            [GaussianNoise(0.1)]
            [RMSNorm]
            [Dense(3, Activation.Softmax)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task ResidualWidthMismatch_ReportsLW0014()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(4, Activation.ReLU)]
            [Dense(3, Activation.ReLU)]
            [{|#0:Residual(1)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.InvalidResidual).WithArguments(
                "Layer 3 [Residual]", "1", "layer 1 has 4 outputs but the layer before the connection has 3"));
    }

    [Fact]
    public Task ResidualFromLaterLayer_ReportsLW0014()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(2, Activation.ReLU)]
            [{|#0:Residual(5)|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(
            source,
            Diagnostic(DiagnosticDescriptors.InvalidResidual).WithArguments(
                "Layer 2 [Residual]", "5", "only layers 0 to 0 come before the layer it follows"));
    }

    [Fact]
    public Task StandardizeAfterDense_ReportsLW0015()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(2, Activation.ReLU)]
            [{|#0:Standardize|}]
            [Dense(1)]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.StandardizeNotFirst).WithArguments("Layer 2 [Standardize]"));
    }

    [Fact]
    public Task SoftmaxActivationOnOneUnit_ReportsLW0005()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            [{|#0:Activation(Activation.Softmax)|}]
            public partial class Net;
            """;

        return VerifyAnalyzerAsync(source, Diagnostic(DiagnosticDescriptors.SoftmaxSingleUnit).WithArguments("Layer 2 [Activation]"));
    }
}
