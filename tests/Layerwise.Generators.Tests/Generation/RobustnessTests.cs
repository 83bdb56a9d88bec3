using System.Linq;
using Layerwise.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Layerwise.Generators.Tests.Generation;

/// <summary>
/// Malformed declarations end in compiler or LW diagnostics, never in an exception from the generator or
/// the analyzer, and a rejected declaration gets no generated source.
/// </summary>
public sealed class RobustnessTests
{
    [Fact]
    public void DenseWithoutArguments_ReportsCS7036()
    {
        AssertRejected("CS7036", Declaration("[Dense]"));
    }

    [Fact]
    public void DenseWithString_ReportsCS1503()
    {
        AssertRejected("CS1503", Declaration("""[Dense("ten")]"""));
    }

    [Fact]
    public void NetworkWithoutLoss_ReportsCS7036()
    {
        AssertRejected("CS7036", """
            using Layerwise;

            [Network]
            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """);
    }

    [Fact]
    public void NegativeUnits_ReportsLW0003()
    {
        AssertRejected("LW0003", Declaration("[Dense(-3, Activation.ReLU)]"));
    }

    [Fact]
    public void ZeroUnits_ReportsLW0003()
    {
        AssertRejected("LW0003", Declaration("[Dense(0)]"));
    }

    [Fact]
    public void NegativeInput_ReportsLW0003()
    {
        AssertRejected("LW0003", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(-2)]
            [Dense(1)]
            public partial class Net;
            """);
    }

    [Fact]
    public void UndefinedActivation_ReportsLW0010()
    {
        AssertRejected("LW0010", Declaration("[Dense(3, (Activation)42)]"));
    }

    [Fact]
    public void UndefinedLoss_ReportsLW0010()
    {
        AssertRejected("LW0010", """
            using Layerwise;

            [Network((Loss)9)]
            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """);
    }

    [Fact]
    public void Struct_ReportsCS0592()
    {
        AssertRejected("CS0592", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial struct Net;
            """);
    }

    [Fact]
    public void RecordStruct_ReportsCS0592()
    {
        AssertRejected("CS0592", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial record struct Net;
            """);
    }

    [Fact]
    public void NotPartial_ReportsLW0001()
    {
        AssertRejected("LW0001", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public class Net;
            """);
    }

    [Fact]
    public void GenericClass_ReportsLW0006()
    {
        AssertRejected("LW0006", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial class Net<T>;
            """);
    }

    [Fact]
    public void NestedInGeneric_ReportsLW0006()
    {
        AssertRejected("LW0006", """
            using Layerwise;

            public partial class Outer<T>
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class Net;
            }
            """);
    }

    [Fact]
    public void StaticClass_ReportsLW0006()
    {
        AssertRejected("LW0006", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public static partial class Net;
            """);
    }

    [Fact]
    public void FileLocalClass_ReportsLW0006()
    {
        AssertRejected("LW0006", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            file partial class Net;
            """);
    }

    [Fact]
    public void InputTwice_ReportsLW0008()
    {
        AssertRejected("LW0008", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Input(3)]
            [Dense(1)]
            public partial class Net;
            """);
    }

    [Fact]
    public void InputAfterDense_ReportsLW0008()
    {
        AssertRejected("LW0008", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Dense(4)]
            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """);
    }

    [Fact]
    public void NoInput_ReportsLW0002()
    {
        AssertRejected("LW0002", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Dense(1)]
            public partial class Net;
            """);
    }

    [Fact]
    public void NoLayers_ReportsLW0009()
    {
        AssertRejected("LW0009", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            public partial class Net;
            """);
    }

    [Fact]
    public void LayersInTwoFiles_ReportsLW0007()
    {
        const string first = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            public partial class Net;
            """;
        const string second = """
            using Layerwise;

            [Dense(1)]
            public partial class Net;
            """;

        AssertRejected("LW0007", first, second);
    }

    [Fact]
    public void UnresolvedAttribute_ReportsCS0246()
    {
        AssertRejected("CS0246", Declaration("[Dens(4)]"));
    }

    [Fact]
    public void EmptyNetworkClass_ReportsLW0002()
    {
        AssertRejected("LW0002", """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            public partial class Net
            {
            }
            """);
    }

    [Fact]
    public void IncompleteSource_ReportsSyntaxErrors()
    {
        // The file ends inside the argument list of the last attribute.
        const string source = """
            using Layerwise;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(3, Activation.
            """;

        BuildRun run = GeneratorHarness.Build(source);

        AssertNoCrash(run);
        Assert.Contains(run.Errors, diagnostic => diagnostic.Id.StartsWith("CS", System.StringComparison.Ordinal));
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void IncompleteClassBody_ReportsSyntaxErrors()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial class Net
            {
                public void Train(
            """;

        BuildRun run = GeneratorHarness.Build(source);

        AssertNoCrash(run);
        Assert.Contains(run.Errors, diagnostic => diagnostic.Id == "CS1026" || diagnostic.Id == "CS1513");
    }

    [Fact]
    public void PlainEmptyClass_GeneratesNothing()
    {
        BuildRun run = GeneratorHarness.Build("internal partial class Net { }");

        AssertNoCrash(run);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void LayersWithoutNetwork_GeneratesNothing()
    {
        BuildRun run = GeneratorHarness.Build("""
            using Layerwise;

            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """);

        AssertNoCrash(run);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void ContainingTypeKinds_GenerateCompilingCode()
    {
        // Each containing declaration is repeated in the generated file with its own keyword.
        BuildRun run = GeneratorHarness.Build("""
            using Layerwise;

            namespace Shapes;

            public partial interface IHost
            {
                public partial record struct Pair
                {
                    public partial struct Holder
                    {
                        public partial record Outer
                        {
                            [Network(Loss.MeanSquaredError)]
                            [Input(2)]
                            [Dense(1)]
                            public partial record Net;
                        }
                    }
                }
            }
            """);

        AssertNoCrash(run);
        GeneratedSourceResult generated = Assert.Single(run.GeneratedSources);
        Assert.Equal("Shapes.IHost.Pair.Holder.Outer.Net.g.cs", generated.HintName);
        Assert.True(!run.Errors.Any(), "The generated code does not compile:\n" + BuildRun.Describe(run.Errors));
    }

    [Fact]
    public void KeywordNamespace_GeneratesWithoutException()
    {
        // The namespace's display string is "@event.Models", and '@' is not allowed in a hint name.
        BuildRun run = GeneratorHarness.Build("""
            using Layerwise;

            namespace @event.Models;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial class Net;
            """);

        AssertNoCrash(run);
        GeneratedSourceResult generated = Assert.Single(run.GeneratedSources);
        Assert.Equal("event.Models.Net.g.cs", generated.HintName);
        Assert.True(!run.Errors.Any(), "The generated code does not compile:\n" + BuildRun.Describe(run.Errors));
    }

    [Fact]
    public void KeywordTypeNames_GenerateCompilingCode()
    {
        BuildRun run = GeneratorHarness.Build("""
            using Layerwise;

            namespace Models;

            public partial class @record
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class @class;
            }
            """);

        AssertNoCrash(run);
        GeneratedSourceResult generated = Assert.Single(run.GeneratedSources);
        Assert.Equal("Models.record.class.g.cs", generated.HintName);
        Assert.True(!run.Errors.Any(), "The generated code does not compile:\n" + BuildRun.Describe(run.Errors));
        Assert.DoesNotContain(run.Diagnostics, diagnostic => diagnostic.Id == "CS8860");
    }

    [Fact]
    public void NamedArguments_GenerateCompilingCode()
    {
        BuildRun run = GeneratorHarness.Build("""
            using Layerwise;

            [Network(loss: Loss.MeanSquaredError)]
            [Input(size: 3)]
            [Dense(activation: Activation.ReLU, units: 5)]
            [Dense(units: 2)]
            public partial class Net;
            """);

        AssertNoCrash(run);
        GeneratedSourceResult generated = Assert.Single(run.GeneratedSources);
        Assert.Contains("public const int InputSize = 3;", generated.SourceText.ToString());
        Assert.Contains("public const int OutputSize = 2;", generated.SourceText.ToString());
        Assert.True(!run.Errors.Any(), "The generated code does not compile:\n" + BuildRun.Describe(run.Errors));
    }

    /// <summary>A network with one layer attribute replaced by <paramref name="layer"/>.</summary>
    private static string Declaration(string layer) => $$"""
        using Layerwise;

        [Network(Loss.MeanSquaredError)]
        [Input(2)]
        {{layer}}
        [Dense(1)]
        public partial class Net;
        """;

    /// <summary>
    /// Asserts that building <paramref name="sources"/> reports <paramref name="expectedId"/> as an error,
    /// generates nothing and throws nothing.
    /// </summary>
    private static void AssertRejected(string expectedId, params string[] sources)
    {
        BuildRun run = GeneratorHarness.Build(sources);

        AssertNoCrash(run);
        Assert.True(
            run.Errors.Any(diagnostic => diagnostic.Id == expectedId),
            $"Expected error {expectedId}; the build reported:\n{BuildRun.Describe(run.Diagnostics)}");
        Assert.Empty(run.GeneratedSources);
    }

    private static void AssertNoCrash(BuildRun run)
    {
        foreach (GeneratorRunResult result in run.RunResult.Results)
        {
            Assert.Null(result.Exception);
        }

        Assert.DoesNotContain(run.DriverDiagnostics, diagnostic => diagnostic.Id == "CS8785");
        Assert.DoesNotContain(run.Diagnostics, diagnostic => diagnostic.Id == "AD0001");
        Assert.Empty(run.AnalyzerExceptions);
    }
}
