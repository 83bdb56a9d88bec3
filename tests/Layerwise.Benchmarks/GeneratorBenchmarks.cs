using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Layerwise.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Layerwise.Benchmarks;

/// <summary>
/// The source generator's own time over a project of 100 declared networks, one per file. The first benchmark runs
/// it on a fresh compilation, as a build does. The second runs it after an edit that touches no network, as typing in
/// the IDE does.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;
    private CSharpCompilation _fresh = null!;

    [GlobalSetup]
    public void Setup()
    {
        IEnumerable<SyntaxTree> trees = Enumerable.Range(0, 100)
            .Select(index => CSharpSyntaxTree.ParseText(Declaration(index), ParseOptions, path: $"Network{index}.cs"));
        MetadataReference[] references =
        [
            .. Basic.Reference.Assemblies.Net100.References.All,
            MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location),
        ];
        _compilation = CSharpCompilation.Create(
            "HundredNetworks", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _edited = _compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("internal static class Unrelated { public static int Answer => 42; }", ParseOptions, path: "Unrelated.cs"));
        _warmDriver = CreateDriver().RunGenerators(_compilation);

        // A declaration the generator rejects would time the diagnostic path instead of generation.
        GeneratorDriverRunResult result = _warmDriver.GetRunResult();
        Diagnostic[] errors = result.Diagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToArray();
        if (result.GeneratedTrees.Length != 100 || errors.Length > 0)
        {
            throw new System.InvalidOperationException(
                $"Expected 100 generated files and no errors, got {result.GeneratedTrees.Length} files and: {string.Join("; ", errors.Select(error => error.ToString()))}");
        }
    }

    [IterationSetup(Target = nameof(HundredNetworks))]
    public void FreshCompilation() => _fresh = _compilation.Clone();

    [Benchmark]
    public GeneratorDriver HundredNetworks() => CreateDriver().RunGenerators(_fresh);

    [Benchmark]
    public GeneratorDriver UnrelatedEdit() => _warmDriver.RunGenerators(_edited);

    private static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: ParseOptions);

    /// <summary>Returns one of four network shapes, with widths that differ from file to file.</summary>
    private static string Declaration(int index)
    {
        string layers = (index % 4) switch
        {
            0 => $"[Input(4)] [Dense({8 + (index % 9)}, Activation.Tanh)] [Dense(3, Activation.Softmax)]",
            1 => $"[Input(64)] [Dense({100 + index}, Activation.ReLU)] [LayerNorm] [Dense(64, Activation.GELU)] [Dense(10, Activation.Softmax)]",
            2 => $"[Input(784)] [Standardize] [Dense(256, Activation.ReLU)] [BatchNorm] [Dropout(0.2)] [Dense({64 + index}, Activation.SiLU)] [Dense(10, Activation.Softmax)]",
            _ => "[Input(2)] [Dense(3, Activation.Sigmoid)] [Dense(3, Activation.Tanh)] [Residual(1)] [Dense(1, Activation.Identity)]",
        };
        string loss = index % 4 == 3 ? "Loss.MeanSquaredError" : "Loss.CrossEntropy";
        return $"""
            using Layerwise;

            namespace Project.Models;

            [Network({loss})]
            {layers}
            public partial class Network{index};
            """;
    }
}
