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
    public void SmallNetwork_IsFullyUnrolled()
    {
        // The layers have 8 and 4 weights, within NetworkLayout.UnrollLimit (64), so no DenseKernels.Forward call is emitted.
        const string source = """
            using Layerwise;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(2)]
            [Dense(4, Activation.Tanh)]
            [Dense(1, Activation.Sigmoid)]
            public partial class XorNet;
            """;

        string generated = GenerateSingle(source, "XorNet.g.cs");

        Assert.DoesNotContain("DenseKernels.Forward(", generated);
        SnapshotAssert.Matches("XorNet.g.cs", generated);
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
        // Scratch = record (4096 + 4096 + 10 logits + 10 outputs) + 2 × 4096 = 16404 floats, above
        // NetworkLayout.StackScratchLimit.
        const string source = """
            using Layerwise;

            namespace Samples.Large;

            [Network(Loss.CrossEntropy)]
            [Input(784)]
            [Dense(4096, Activation.ReLU)]
            [Dense(4096, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public sealed partial class WideMnistNet;
            """;

        string generated = GenerateSingle(source, "Samples.Large.WideMnistNet.g.cs");

        Assert.True(4096 + 4096 + 10 + 10 + 2 * 4096 > NetworkLayout.StackScratchLimit);
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
}
