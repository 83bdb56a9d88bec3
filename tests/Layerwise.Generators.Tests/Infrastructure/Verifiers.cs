using System.Threading.Tasks;
using Layerwise.CodeFixes;
using Layerwise.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Layerwise.Generators.Tests.Infrastructure;

/// <summary>
/// Analyzer and code-fix tests set up with the offline references. The generator does not run in these
/// tests, so test sources must not use generated members.
/// </summary>
internal static class Verifiers
{
    public static CSharpAnalyzerTest<NetworkDeclarationAnalyzer, DefaultVerifier> CreateAnalyzerTest(
        string source,
        params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<NetworkDeclarationAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = TestReferences.NoPackage,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);

        // LW2001 states every network's cost; tests of it enable it again.
        test.DisabledDiagnostics.Add("LW2001");
        return test;
    }

    /// <summary>Asserts that the analyzer reports exactly <paramref name="expected"/> in <paramref name="source"/>.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        CreateAnalyzerTest(source, expected).RunAsync();

    public static CSharpCodeFixTest<NetworkDeclarationAnalyzer, AddPartialCodeFixProvider, DefaultVerifier> CreateCodeFixTest(
        string source,
        string fixedSource,
        params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixTest<NetworkDeclarationAnalyzer, AddPartialCodeFixProvider, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = TestReferences.NoPackage,
        };
        test.DisabledDiagnostics.Add("LW2001");
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test;
    }

    /// <summary>A code-fix test of <typeparamref name="TFix"/>; expected diagnostics are compared by ID and location only.</summary>
    public static CSharpCodeFixTest<NetworkDeclarationAnalyzer, TFix, DefaultVerifier> CreateFixTest<TFix>(
        string source, string fixedSource, string? equivalenceKey = null)
        where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<NetworkDeclarationAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = TestReferences.NoPackage,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        test.DisabledDiagnostics.Add("LW2001");
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        return test;
    }

    /// <summary>An expected diagnostic of <paramref name="descriptor"/> at markup location {|#<paramref name="location"/>:…|}.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor, int location = 0) =>
        new DiagnosticResult(descriptor).WithLocation(location).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
