using System.Linq;
using System.Threading.Tasks;
using Layerwise.Generators.Diagnostics;
using Layerwise.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace Layerwise.Generators.Tests.Analysis;

/// <summary>
/// Declarations in, LW diagnostic IDs out: the reference cases for the design rules, each with the silent
/// fixed form. LW2001 (information on every network) is left out of the comparison.
/// </summary>
public sealed class DesignRuleCaseTests
{
    [Theory]
    // 64 inputs, four hidden layers of 500 sigmoid units, one linear output, MSE: the deep-stack warning.
    [InlineData("[Network(Loss.MeanSquaredError)][Input(64)][Dense(500, Activation.Sigmoid)][Dense(500, Activation.Sigmoid)][Dense(500, Activation.Sigmoid)][Dense(500, Activation.Sigmoid)][Dense(1)]", "LW1001")]
    // The same with LayerNorm between the layers, or with ReLU, is silent.
    [InlineData("[Network(Loss.MeanSquaredError)][Input(64)][Dense(500, Activation.Sigmoid)][LayerNorm][Dense(500, Activation.Sigmoid)][LayerNorm][Dense(500, Activation.Sigmoid)][LayerNorm][Dense(500, Activation.Sigmoid)][Dense(1)]", "")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(64)][Dense(500, Activation.ReLU)][Dense(500, Activation.ReLU)][Dense(500, Activation.ReLU)][Dense(500, Activation.ReLU)][Dense(1)]", "")]
    // 300 inputs, ReLU 256, dropout 0.25, softmax over 10 units, trained with binary cross-entropy: mismatch. The error
    // stops the design rules, so the dropout before the output is reported only once the loss fits.
    [InlineData("[Network(Loss.BinaryCrossEntropy)][Input(300)][Dense(256, Activation.ReLU)][Dropout(0.25)][Dense(10, Activation.Softmax)]", "LW0004")]
    [InlineData("[Network(Loss.CrossEntropy)][Input(300)][Dense(256, Activation.ReLU)][Dropout(0.25)][Dense(10, Activation.Softmax)]", "LW1008")]
    [InlineData("[Network(Loss.CrossEntropy)][Input(300)][Dense(256, Activation.ReLU)][Dropout(0.25)][Dense(128, Activation.ReLU)][Dense(10, Activation.Softmax)]", "")]
    // 16 inputs, four ReLU layers, a single softmax unit, cross-entropy: softmax on one unit.
    [InlineData("[Network(Loss.CrossEntropy)][Input(16)][Dense(16, Activation.ReLU)][Dense(16, Activation.ReLU)][Dense(16, Activation.ReLU)][Dense(16, Activation.ReLU)][Dense(1, Activation.Softmax)]", "LW0005")]
    [InlineData("[Network(Loss.BinaryCrossEntropy)][Input(16)][Dense(16, Activation.ReLU)][Dense(16, Activation.ReLU)][Dense(16, Activation.ReLU)][Dense(16, Activation.ReLU)][Dense(1, Activation.Sigmoid)]", "")]
    // 2 inputs, 4 sigmoid hidden units, 1 sigmoid output, MAE: the output wants binary cross-entropy; one hidden layer is no deep stack.
    [InlineData("[Network(Loss.MeanAbsoluteError)][Input(2)][Dense(4, Activation.Sigmoid)][Dense(1, Activation.Sigmoid)]", "LW1002")]
    [InlineData("[Network(Loss.BinaryCrossEntropy)][Input(2)][Dense(4, Activation.Sigmoid)][Dense(1, Activation.Sigmoid)]", "")]
    // Four sigmoid outputs trained with CrossEntropy: mismatch.
    [InlineData("[Network(Loss.CrossEntropy)][Input(8)][Dense(16, Activation.ReLU)][Dense(4, Activation.Sigmoid)]", "LW0004")]
    // BatchNorm with a declared batch size of one: error.
    [InlineData("[Network(Loss.MeanSquaredError)][Training(OptimizerKind.Adam, BatchSize = 1)][Input(8)][Dense(16, Bias = false)][BatchNorm][Activation(Activation.ReLU)][Dense(1)]", "LW1010")]
    [InlineData("[Network(Loss.MeanSquaredError)][Training(OptimizerKind.Adam, BatchSize = 16)][Input(8)][Dense(16, Bias = false)][BatchNorm][Activation(Activation.ReLU)][Dense(1)]", "")]
    // Adam with learning rate 1: error.
    [InlineData("[Network(Loss.MeanSquaredError)][Training(OptimizerKind.Adam, LearningRate = 1)][Input(8)][Dense(16, Activation.ReLU)][Dense(1)]", "LW1013")]
    [InlineData("[Network(Loss.MeanSquaredError)][Training(OptimizerKind.Adam, LearningRate = 1e-3)][Input(8)][Dense(16, Activation.ReLU)][Dense(1)]", "")]
    public void Case_ReportsExpectedIds(string attributes, string expected)
    {
        Assert.Equal(Ids(expected), Analyze(attributes));
    }

    [Theory]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(8)][Dense(16, Activation.Tanh)][Dense(16, Activation.Tanh)][Dense(16, Activation.Tanh)][Dense(16, Activation.Tanh)][Dense(16, Activation.Tanh)][Dense(1)]", "LW1001")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(8)][Dense(16)][Activation(Activation.Sigmoid)][Dense(16)][Activation(Activation.Sigmoid)][Dense(16)][Activation(Activation.Sigmoid)][Dense(1)]", "LW1001")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(8)][Dense(16, Activation.Sigmoid)][Dropout(0.2)][Dense(16, Activation.Sigmoid)][Dropout(0.2)][Dense(16, Activation.Sigmoid)][Dense(1)]", "LW1001")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(8)][Dense(16, Activation.Sigmoid)][Dense(16, Activation.Sigmoid)][Residual(1)][Dense(16, Activation.Sigmoid)][Dense(1)]", "")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.ReLU)][Dense(3, Activation.Tanh)]", "LW1002")]
    [InlineData("[Network(Loss.Huber)][Input(4)][Dense(8, Activation.ReLU)][Dense(3, Activation.Softmax)]", "LW1002")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.ReLU)][Dense(3, Activation.ReLU)]", "")]
    [InlineData("[Network(Loss.CrossEntropy)][Input(4)][Dense(8, Activation.Softmax)][Dense(3, Activation.Softmax)]", "LW1003")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8)][Dense(3)]", "LW1004")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.ReLU)][Dense(8, Activation.Sigmoid)][Dense(3)]", "LW1016")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.Tanh)][Dense(8, Activation.Sigmoid)][Dense(3)]", "")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8)][Dropout(0.1)][Dense(3)]", "LW1004,LW1008")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.ReLU)][Activation(Activation.Tanh)][Dense(3)]", "LW1005")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.Sigmoid, Initializer = Initializer.He)][Dense(3)]", "LW1006")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.Sigmoid, Initializer = Initializer.Glorot)][Dense(3)]", "")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.SELU, Initializer = Initializer.Glorot)][Dense(3)]", "LW1006")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.ReLU, Initializer = Initializer.Glorot)][Dense(8, Activation.ReLU)][Dense(8, Activation.ReLU)][Dense(3)]", "LW1006")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.ReLU, Initializer = Initializer.Glorot)][Dense(3)]", "")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.ReLU)][Dropout(0.7)][Dense(8, Activation.ReLU)][Dense(3)]", "LW1007")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Activation.ReLU)][Dropout(0.2)][Dense(3)]", "LW1008")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8, Bias = false)][Dropout(0.2)][BatchNorm][Activation(Activation.ReLU)][Dense(3)]", "LW1009")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(8)][BatchNorm][Activation(Activation.ReLU)][Dense(3)]", "LW1011")]
    [InlineData("[Network(Loss.MeanSquaredError)][Training(OptimizerKind.RMSprop, LearningRate = 0.05)][Input(4)][Dense(8, Activation.ReLU)][Dense(3)]", "LW1012")]
    [InlineData("[Network(Loss.MeanSquaredError)][Training(OptimizerKind.Sgd, LearningRate = 2)][Input(4)][Dense(8, Activation.ReLU)][Dense(3)]", "LW1012")]
    [InlineData("[Network(Loss.MeanSquaredError)][Training(OptimizerKind.Sgd, LearningRate = 0.5, Momentum = 0.9)][Input(4)][Dense(8, Activation.ReLU)][Dense(3)]", "")]
    [InlineData("[Network(Loss.MeanSquaredError)][Training(OptimizerKind.AdamW, LearningRate = 1e-9)][Input(4)][Dense(8, Activation.ReLU)][Dense(3)]", "LW1012")]
    [InlineData("[Network(Loss.CrossEntropy)][Input(4)][Dense(8, Activation.ReLU)][Dense(5, Activation.ReLU)][Dense(10, Activation.Softmax)]", "LW1014,LW1014")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(2, Activation.ReLU)][Dense(1)]", "LW1015")]
    [InlineData("[Network(Loss.MeanSquaredError)][Input(4)][Dense(3, Activation.ReLU)][Dense(1)]", "")]
    public void Rule_ReportsExpectedIds(string attributes, string expected)
    {
        Assert.Equal(Ids(expected), Analyze(attributes));
    }

    [Fact]
    public void Cost_ReportsParametersAndWork()
    {
        BuildRun run = GeneratorHarness.Build(Source("[Network(Loss.CrossEntropy)][Input(64)][Dense(128, Activation.ReLU)][LayerNorm][Dense(64, Activation.Tanh)][Dense(10, Activation.Softmax)]"));

        Diagnostic cost = Assert.Single(run.Diagnostics, diagnostic => diagnostic.Id == "LW2001");
        Assert.Equal(DiagnosticSeverity.Info, cost.Severity);
        Assert.Equal(
            "'Net': 17,482 parameters, 17,024 multiply-adds per sample, 1,320 bytes per sample in inference and 2,900 in training; 3 of 3 Dense layers call the runtime kernels",
            cost.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task EditorConfig_ChangesThreshold()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(8)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1)]
            public partial class Net;
            """;
        var test = Verifiers.CreateAnalyzerTest(source);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            layerwise.saturating_stack.sigmoid_layers = 4
            """));

        await test.RunAsync();
    }

    private static string[] Analyze(string attributes)
    {
        BuildRun run = GeneratorHarness.Build(Source(attributes));
        Assert.Empty(run.AnalyzerExceptions);
        return run.Diagnostics
            .Where(diagnostic => diagnostic.Id.StartsWith("LW", System.StringComparison.Ordinal) && diagnostic.Id != "LW2001")
            .Select(diagnostic => diagnostic.Id)
            .OrderBy(id => id, System.StringComparer.Ordinal)
            .ToArray();
    }

    private static string[] Ids(string expected) =>
        expected.Length == 0 ? [] : expected.Split(',').OrderBy(id => id, System.StringComparer.Ordinal).ToArray();

    private static string Source(string attributes) =>
        "using Layerwise;\n\n" + attributes.Replace("][", "]\n[") + "\npublic partial class Net;\n";
}
