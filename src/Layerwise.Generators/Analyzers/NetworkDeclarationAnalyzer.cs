using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Layerwise.Generators.Diagnostics;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;
using Layerwise.Generators.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Layerwise.Generators.Analyzers;

/// <summary>
/// Reports the declaration errors that stop generation (LW00xx) and the design rules (LW1xxx) for every
/// class that carries Layerwise attributes. It reads the class with the generator's parser.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.All);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!NetworkParser.HasLayerwiseAttribute(type))
        {
            ReportNonPartialContainer(context, type);
            return;
        }

        ParseResult result = NetworkParser.Parse(type, context.CancellationToken);
        foreach (Finding finding in result.Findings)
        {
            // ReportNonPartialContainer reports LW0001 on a containing type while that type is analyzed. A
            // diagnostic outside the analyzed symbol's declarations is non-local, and the IDE offers no code
            // fix for it.
            if (finding.Target.ContainingDepth == 0)
            {
                Report(context, type, finding);
            }
        }

        if (result.Model is null)
        {
            return;
        }

        RuleOptions options = ReadOptions(context, type);
        int networkAttribute = FindNetworkAttribute(type);
        foreach (Finding finding in DesignRules.Evaluate(result.Model, options, networkAttribute))
        {
            Report(context, type, finding);
        }
    }

    private static RuleOptions ReadOptions(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        SyntaxTree? tree = type.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree;
        if (tree is null)
        {
            return RuleOptions.Default;
        }

        AnalyzerConfigOptions configuration = context.Options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return RuleOptions.Read(key => configuration.TryGetValue(key, out string? value) ? value : null);
    }

    private static int FindNetworkAttribute(INamedTypeSymbol type)
    {
        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        for (int i = 0; i < attributes.Length; i++)
        {
            if (NetworkParser.GetLayerwiseAttributeName(attributes[i].AttributeClass) == "Network")
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Reports LW0001 on <paramref name="type"/>, which has no Layerwise attributes of its own, when it
    /// contains a class with Layerwise attributes at any depth and one of its declarations lacks
    /// <c>partial</c>. The parser records the same finding for the nested class, which keeps the generator
    /// from emitting code for it.
    /// </summary>
    private static void ReportNonPartialContainer(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        if (!ContainsLayerwiseType(type) || NetworkParser.AllDeclarationsPartial(type, context.CancellationToken))
        {
            return;
        }

        Report(context, type, new Finding(DiagnosticDescriptors.NotPartial.Id, FindingTarget.TypeName, NetworkParser.Arguments(type.Name)));
    }

    private static bool ContainsLayerwiseType(INamedTypeSymbol type)
    {
        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            if (NetworkParser.HasLayerwiseAttribute(nested) || ContainsLayerwiseType(nested))
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, Finding finding)
    {
        DiagnosticDescriptor? descriptor = DiagnosticDescriptors.Find(finding.DiagnosticId);
        if (descriptor is null)
        {
            return;
        }

        Location location = Locate(type, finding.Target, context.CancellationToken);
        Location[] additional = finding.AdditionalTargets.Select(target => Locate(type, target, context.CancellationToken)).ToArray();
        ImmutableDictionary<string, string?> properties = finding.Properties
            .ToImmutableDictionary(property => property.Name, property => (string?)property.Value);
        context.ReportDiagnostic(Diagnostic.Create(
            descriptor, location, additional, properties, finding.MessageArguments.Cast<object>().ToArray()));
    }

    private static Location Locate(INamedTypeSymbol type, FindingTarget target, CancellationToken cancellationToken)
    {
        if (target.AttributeIndex >= 0)
        {
            ImmutableArray<AttributeData> attributes = type.GetAttributes();
            if (target.AttributeIndex < attributes.Length
                && attributes[target.AttributeIndex].ApplicationSyntaxReference is { } reference)
            {
                return reference.GetSyntax(cancellationToken).GetLocation();
            }

            return type.Locations.FirstOrDefault() ?? Location.None;
        }

        INamedTypeSymbol located = type;
        for (int depth = 0; depth < target.ContainingDepth && located.ContainingType is not null; depth++)
        {
            located = located.ContainingType;
        }

        // Point at a declaration that lacks 'partial' when there is one, so the code fix edits that one.
        foreach (SyntaxReference declarationReference in located.DeclaringSyntaxReferences)
        {
            if (declarationReference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword))
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return located.Locations.FirstOrDefault() ?? Location.None;
    }
}
