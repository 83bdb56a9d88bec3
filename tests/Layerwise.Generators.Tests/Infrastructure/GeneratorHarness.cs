using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Layerwise.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Layerwise.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="NetworkGenerator"/> and <see cref="NetworkDeclarationAnalyzer"/> over source text in the
/// order of a build. The generator runs first, then the compiler and the analyzer check the compilation
/// that includes the generated files.
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>The latest language version, with XML documentation comments checked as a documented build checks them.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>Parses each source into its own syntax tree, named Source0.cs, Source1.cs, ….</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        IEnumerable<SyntaxTree> trees = sources.Select(
            (source, index) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{index}.cs"));
        return CSharpCompilation.Create(
            "TestNetworks",
            trees,
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver CreateDriver(bool trackSteps = false)
    {
        ISourceGenerator generator = new NetworkGenerator().AsSourceGenerator();
        var options = new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps);
        return CSharpGeneratorDriver.Create([generator], parseOptions: ParseOptions, driverOptions: options);
    }

    /// <summary>Generates, compiles and analyzes <paramref name="sources"/>.</summary>
    public static BuildRun Build(params string[] sources)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            compilation, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);

        var analyzerExceptions = new List<Exception>();
        var analyzerOptions = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) => analyzerExceptions.Add(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = output
            .WithAnalyzers([new NetworkDeclarationAnalyzer()], analyzerOptions)
            .GetAllDiagnosticsAsync()
            .GetAwaiter()
            .GetResult();

        return new BuildRun(driver.GetRunResult(), output, driverDiagnostics, diagnostics, analyzerExceptions);
    }
}

/// <summary>The outcome of <see cref="GeneratorHarness.Build"/>.</summary>
/// <param name="RunResult">What the generator produced, and any exception it threw.</param>
/// <param name="Output">The compilation with the generated files added.</param>
/// <param name="DriverDiagnostics">Diagnostics of the generator run, such as CS8785 when a generator throws.</param>
/// <param name="Diagnostics">Compiler and analyzer diagnostics of <paramref name="Output"/>, AD0001 included.</param>
/// <param name="AnalyzerExceptions">Exceptions the analyzer threw.</param>
internal sealed record BuildRun(
    GeneratorDriverRunResult RunResult,
    Compilation Output,
    ImmutableArray<Diagnostic> DriverDiagnostics,
    ImmutableArray<Diagnostic> Diagnostics,
    IReadOnlyList<Exception> AnalyzerExceptions)
{
    public ImmutableArray<GeneratedSourceResult> GeneratedSources =>
        RunResult.Results.SelectMany(result => result.GeneratedSources).ToImmutableArray();

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error);

    /// <summary>Returns each diagnostic as "ID at file(line,column): message", for assertion messages.</summary>
    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(diagnostic => diagnostic.ToString()));
}
