using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Layerwise.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Layerwise.Generators.Tests.Generation;

/// <summary>
/// Feeds 1,000 seeded random declarations, malformed and extreme ones among them, through the generator and the
/// analyzer. Neither may throw, and every class the generator leaves out must carry an error that says why.
/// </summary>
public sealed class GeneratedDeclarationTests
{
    private const int Declarations = 1000;
    private const int PerCompilation = 100;

    private static readonly string[] TypeShapes =
    [
        "public partial class", "public partial class", "public partial class", "internal sealed partial class",
        "public class", "public partial struct", "public partial record", "public partial record struct",
        "public static partial class", "file partial class", "public partial interface",
    ];

    private static readonly string[] Losses =
    [
        "Loss.MeanSquaredError", "Loss.CrossEntropy", "Loss.BinaryCrossEntropy", "Loss.MeanAbsoluteError", "Loss.Huber",
        "(Loss)9", "(Loss)(-1)", "\"mse\"", "",
    ];

    private static readonly string[] Activations =
    [
        "Activation.Identity", "Activation.ReLU", "Activation.Sigmoid", "Activation.Tanh", "Activation.Softmax",
        "Activation.LeakyReLU", "Activation.PReLU", "Activation.ELU", "Activation.SELU", "Activation.GELU",
        "Activation.SiLU", "Activation.Softplus", "(Activation)42", "7",
    ];

    private static readonly string[] Sizes = ["-1", "0", "1", "2", "3", "8", "10", "1000000000", "int.MaxValue", "\"ten\"", "2.5"];

    private static readonly string[] Rates = ["double.NaN", "-0.5", "0", "0.25", "0.6", "1", "2", "double.PositiveInfinity"];

    [Fact]
    public void RandomDeclarations_NeverThrowAndAlwaysExplain()
    {
        var random = new Random(20261204);
        int checkedClasses = 0;
        for (int start = 0; start < Declarations; start += PerCompilation)
        {
            var source = new StringBuilder("using Layerwise;\n\nnamespace Fuzz;\n\n");
            var classes = new List<(string Name, int Start, int End, bool Declared)>();
            for (int i = start; i < start + PerCompilation; i++)
            {
                int begin = source.Length;
                string name = "Net" + i;
                bool declared = AppendDeclaration(source, random, name);
                classes.Add((name, begin, source.Length, declared));
            }

            BuildRun run = GeneratorHarness.Build(source.ToString());

            Assert.All(run.RunResult.Results, result => Assert.Null(result.Exception));
            Assert.Empty(run.AnalyzerExceptions);
            Assert.DoesNotContain(run.DriverDiagnostics, diagnostic => diagnostic.Id == "CS8785");
            Assert.DoesNotContain(run.Diagnostics, diagnostic => diagnostic.Id is "AD0001" or "CS8785");

            var generated = run.GeneratedSources.Select(source => source.HintName).ToHashSet();
            foreach ((string name, int begin, int end, bool declared) in classes)
            {
                var span = TextSpan.FromBounds(begin, end);
                Diagnostic[] errors = run.Diagnostics
                    .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error
                        && diagnostic.Location.SourceTree?.FilePath == "Source0.cs"
                        && span.IntersectsWith(diagnostic.Location.SourceSpan))
                    .ToArray();
                bool isGenerated = generated.Any(hint => hint.EndsWith("." + name + ".g.cs", StringComparison.Ordinal));
                if (declared && !isGenerated)
                {
                    Assert.True(
                        errors.Length > 0,
                        $"{name} got no generated code and no error:\n{source.ToString(begin, end - begin)}");
                }

                checkedClasses++;
            }

            // Generated code never fails to compile on its own.
            Diagnostic[] generatedErrors = run.Diagnostics
                .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error && diagnostic.Location.SourceTree?.FilePath != "Source0.cs")
                .ToArray();
            Assert.True(generatedErrors.Length == 0, BuildRun.Describe(generatedErrors));
        }

        Assert.Equal(Declarations, checkedClasses);
    }

    /// <summary>Appends one random declaration; returns false when it carries no Layerwise attribute at all.</summary>
    private static bool AppendDeclaration(StringBuilder source, Random random, string name)
    {
        string Pick(string[] values) => values[random.Next(values.Length)];

        var attributes = new StringBuilder();
        if (random.Next(10) > 0)
        {
            string loss = Pick(Losses);
            string options = random.Next(6) switch
            {
                0 => ", Precision = Precision.Double",
                1 => $", HuberDelta = {Pick(Rates)}",
                2 => $", LabelSmoothing = {Pick(Rates)}",
                _ => string.Empty,
            };
            attributes.Append($"[Network({loss}{options})]\n");
        }

        if (random.Next(5) == 0)
        {
            attributes.Append($"[Training(OptimizerKind.{Pick(["Sgd", "Adam", "AdamW", "RMSprop"])}, LearningRate = {Pick(["1e-3", "0.1", "1", "10", "1e-9", "-1", "double.NaN"])}, BatchSize = {Pick(["0", "1", "32", "-4"])})]\n");
        }

        if (random.Next(8) > 0)
        {
            attributes.Append($"[Input({Pick(Sizes)})]\n");
        }

        int layers = random.Next(9);
        for (int i = 0; i < layers; i++)
        {
            attributes.Append(random.Next(12) switch
            {
                0 or 1 or 2 or 3 => $"[Dense({Pick(Sizes)}, {Pick(Activations)}{DenseOptions(random)})]\n",
                4 => $"[Activation({Pick(Activations)}{ActivationOptions(random)})]\n",
                5 => random.Next(2) == 0 ? "[LayerNorm]\n" : $"[LayerNorm(Epsilon = {Pick(Rates)})]\n",
                6 => $"[BatchNorm(Momentum = {Pick(Rates)})]\n",
                7 => random.Next(2) == 0 ? "[RMSNorm]\n" : $"[RMSNorm(Epsilon = {Pick(Rates)})]\n",
                8 => $"[Dropout({Pick(Rates)})]\n",
                9 => $"[GaussianNoise({Pick(Rates)})]\n",
                10 => "[Standardize]\n",
                _ => $"[Residual({Pick(["-1", "0", "1", "2", "5"])})]\n",
            });
        }

        string shape = Pick(TypeShapes);
        string declaration = random.Next(12) == 0
            ? $"{attributes}{shape} {name}<T>;\n"
            : $"{attributes}{shape} {name};\n";
        if (random.Next(10) == 0)
        {
            // Nested in a containing type that may be generic or not partial.
            string outer = random.Next(2) == 0 ? $"public partial class Outer{name}<T>" : $"public class Outer{name}";
            declaration = $"{outer}\n{{\n{declaration}}}\n";
        }

        source.Append(declaration).Append('\n');
        return attributes.Length > 0;
    }

    private static string DenseOptions(Random random) => random.Next(6) switch
    {
        0 => ", Bias = false",
        1 => ", Frozen = true, Initializer = Initializer.LeCun",
        2 => ", Initializer = (Initializer)9",
        3 => ActivationOptions(random),
        _ => string.Empty,
    };

    private static string ActivationOptions(Random random) => random.Next(5) switch
    {
        0 => ", Alpha = 0.2",
        1 => ", Approximate = true",
        2 => ", LearnableBeta = true",
        3 => ", AdaptiveSlope = " + new[] { "2", "-1", "double.NaN" }[random.Next(3)],
        _ => string.Empty,
    };
}
