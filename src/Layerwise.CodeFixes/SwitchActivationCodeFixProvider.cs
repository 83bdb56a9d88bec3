using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Layerwise.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Layerwise.CodeFixes;

/// <summary>LW1001: switches every layer of a saturating stack to ReLU or to GELU.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwitchActivationCodeFixProvider))]
[Shared]
public sealed class SwitchActivationCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the switch to ReLU.</summary>
    public const string ReLUKey = "Layerwise.SwitchToReLU";

    /// <summary>The equivalence key of the switch to GELU.</summary>
    public const string GELUKey = "Layerwise.SwitchToGELU";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.SaturatingStack.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.AdditionalLocations.Count == 0)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Use ReLU in these layers", token => SwitchAsync(context.Document, diagnostic, "ReLU", token), ReLUKey),
                diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create("Use GELU in these layers", token => SwitchAsync(context.Document, diagnostic, "GELU", token), GELUKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> SwitchAsync(Document document, Diagnostic diagnostic, string activation, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (Location location in diagnostic.AdditionalLocations)
        {
            AttributeSyntax? attribute = AttributeEditing.FindAttribute(editor.OriginalRoot, location);
            if (attribute is not null)
            {
                editor.ReplaceNode(attribute, AttributeEditing.WithActivation(attribute, activation));
            }
        }

        return editor.GetChangedDocument();
    }
}
