using System.Linq;
using Layerwise.Generators.Emitting;
using Layerwise.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Layerwise.Generators.Tests.Generation;

/// <summary>
/// Compares the generated source of representative networks with reviewed snapshots, and checks that
/// the code compiles together with the declaration.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void NarrowNetwork_IsFullyUnrolled()
    {
        // Rows of 2 and 3 inputs are shorter than NetworkLayout.VectorRowWidth, so the inference pass calls no
        // DenseKernels.Forward; the batched training pass still does.
        const string source = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(2)]
            [Dense(3, Activation.Tanh)]
            [Dense(1, Activation.Sigmoid)]
            public partial class XorNet;
            """;

        string generated = GenerateSingle(source, "XorNet.g.cs");

        int inference = generated.IndexOf("private void LayerwiseInferSample(", System.StringComparison.Ordinal);
        int training = generated.IndexOf("private float LayerwiseTrain(", System.StringComparison.Ordinal);
        Assert.True(inference > 0, "the inference method is missing");
        Assert.True(training > inference, "expected the inference method before the training method");
        Assert.DoesNotContain("DenseKernels.Forward(", generated.Substring(inference, training - inference));
        SnapshotAssert.Matches("XorNet.g.cs", generated);
    }

    [Fact]
    public void SmallLayerWithVectorRows_CallsKernel()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(16, Activation.Tanh)]
            [Dense(2, Activation.Softmax)]
            public partial class IrisLike;
            """;

        string generated = GenerateSingle(source, "IrisLike.g.cs");

        Assert.Contains("Layer 1 (64 weights) calls the inference kernel: its rows of 4 inputs fill vectors", generated);
        Assert.Contains("DenseKernels.Forward(", generated);
    }

    [Fact]
    public void LayerNormNetwork_NestedInNamespaceAndClass()
    {
        const string source = """
            using Layerwise;

            namespace Samples.Digits
            {
                public partial class Models
                {
                    /// <summary>Classifies 8×8 digit images into the ten classes 0–9.</summary>
                    [Network(Loss.CrossEntropy)]
                    [Input(64)]
                    [Dense(128, Activation.ReLU)]
                    [LayerNorm]
                    [Dense(64, Activation.Tanh)]
                    [Dense(10, Activation.Softmax)]
                    public partial class DigitsNet;
                }
            }
            """;

        string generated = GenerateSingle(source, "Samples.Digits.Models.DigitsNet.g.cs");

        Assert.Contains("LayerNormKernels.Forward(", generated);
        Assert.Contains("LayerNormKernels.Backward(", generated);
        SnapshotAssert.Matches("Samples.Digits.Models.DigitsNet.g.cs", generated);
    }

    [Fact]
    public void LargeScratch_UsesThreadStaticArray()
    {
        // The inference record contains every layer's output, 9000 + 9000 + 10 values, above
        // NetworkLayout.StackRecordLimit.
        const string source = """
            using Layerwise;

            namespace Samples.Large;

            [Network(Loss.CrossEntropy)]
            [Input(784)]
            [Dense(9000, Activation.ReLU)]
            [Dense(9000, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public sealed partial class WideMnistNet;
            """;

        string generated = GenerateSingle(source, "Samples.Large.WideMnistNet.g.cs");

        Assert.True(9000 + 9000 + 10 > NetworkLayout.StackRecordLimit);
        Assert.Contains("[global::System.ThreadStatic]", generated);
        Assert.DoesNotContain("stackalloc", generated);
        SnapshotAssert.Matches("Samples.Large.WideMnistNet.g.cs", generated);
    }

    [Fact]
    public void MeanSquaredSoftmax_UsesSoftmaxJacobian()
    {
        // Without a fused loss the output softmax is differentiated on its own, through its Jacobian.
        const string source = """
            using Layerwise;

            namespace Samples.Regression;

            [Network(Loss.MeanSquaredError)]
            [Input(16)]
            [Dense(8, Activation.ReLU)]
            [Dense(4, Activation.Softmax)]
            internal partial class MixtureWeightsNet;
            """;

        string generated = GenerateSingle(source, "Samples.Regression.MixtureWeightsNet.g.cs");

        Assert.Contains("ActivationKernels.SoftmaxBackward(", generated);
        Assert.DoesNotContain("SoftmaxCrossEntropy", generated);
        SnapshotAssert.Matches("Samples.Regression.MixtureWeightsNet.g.cs", generated);
    }

    /// <summary>
    /// Runs the generator over <paramref name="source"/>, asserts that it produced exactly the file
    /// <paramref name="hintName"/>, that the whole compilation has no errors and that the generated file has
    /// no warnings (projects that treat warnings as errors must build), and returns the file's text.
    /// </summary>
    private static string GenerateSingle(string source, string hintName)
    {
        BuildRun run = GeneratorHarness.Build(source);

        Assert.Null(run.RunResult.Results.Single().Exception);
        GeneratedSourceResult generated = Assert.Single(run.GeneratedSources);
        Assert.Equal(hintName, generated.HintName);
        Assert.True(!run.Errors.Any(), "The generated code does not compile:\n" + BuildRun.Describe(run.Errors));
        Assert.Contains(run.Output.SyntaxTrees, tree => tree.FilePath == generated.SyntaxTree.FilePath);
        Diagnostic[] inGeneratedFile = run.Diagnostics
            .Where(diagnostic => diagnostic.Location.SourceTree?.FilePath == generated.SyntaxTree.FilePath)
            .ToArray();
        Assert.True(inGeneratedFile.Length == 0, "The generated file has diagnostics:\n" + BuildRun.Describe(inGeneratedFile));
        return generated.SourceText.ToString();
    }

    public static System.Collections.Generic.IEnumerable<object[]> LayerTypeCases() =>
        LayerTypeSources.Keys.Select(name => new object[] { name });

    /// <summary>One declaration per layer type, activation option and loss beyond the first slice.</summary>
    private static readonly System.Collections.Generic.Dictionary<string, string> LayerTypeSources = new()
    {
        ["BatchNormNet"] = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(6)]
            [Dense(8, Activation.Identity, Bias = false)]
            [BatchNorm(Momentum = 0.2)]
            [Activation(Activation.ReLU)]
            [Dense(3, Activation.Softmax)]
            public partial class BatchNormNet;
            """,
        ["RMSNormNet"] = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(5)]
            [Dense(8, Activation.GELU)]
            [RMSNorm(Epsilon = 1e-5)]
            [Dense(2)]
            public partial class RMSNormNet;
            """,
        ["DropoutNet"] = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(4)]
            [Dense(8, Activation.ELU, Alpha = 0.5)]
            [Dropout(0.25)]
            [Dense(1, Activation.Sigmoid)]
            public partial class DropoutNet;
            """,
        ["NoiseNet"] = """
            using Layerwise;

            [Network(Loss.Huber, HuberDelta = 0.5)]
            [Input(3)]
            [GaussianNoise(0.1)]
            [Dense(6, Activation.Softplus)]
            [Dense(1)]
            public partial class NoiseNet;
            """,
        ["StandardizeNet"] = """
            using Layerwise;

            [Network(Loss.MeanAbsoluteError)]
            [Input(4)]
            [Standardize]
            [Dense(6, Activation.SELU)]
            [Dense(2)]
            public partial class StandardizeNet;
            """,
        ["ResidualNet"] = """
            using Layerwise;

            [Network(Loss.CrossEntropy, LabelSmoothing = 0.1)]
            [Input(6)]
            [Dense(8, Activation.LeakyReLU)]
            [Dense(8, Activation.PReLU)]
            [Residual(1)]
            [Dense(3, Activation.Softmax)]
            public partial class ResidualNet;
            """,
        ["AdaptiveNet"] = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(3)]
            [Dense(5, Activation.Tanh, AdaptiveSlope = 10)]
            [Dense(5, Activation.SiLU, LearnableBeta = true, Frozen = true, Initializer = Initializer.LeCun)]
            [Dense(1)]
            public partial class AdaptiveNet;
            """,
        ["DoubleNet"] = """
            using Layerwise;

            [Network(Loss.MeanSquaredError, Precision = Precision.Double)]
            [Input(3)]
            [Dense(4, Activation.Tanh)]
            [LayerNorm]
            [Dense(2)]
            public partial class DoubleNet;
            """,
    };

    [Theory]
    [MemberData(nameof(LayerTypeCases))]
    public void LayerType_MatchesSnapshot(string name)
    {
        string generated = GenerateSingle(LayerTypeSources[name], name + ".g.cs");

        SnapshotAssert.Matches(name + ".g.cs", generated);
    }
}
