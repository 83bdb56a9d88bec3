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

/// <summary>LW1006: replaces a declared initializer with the one that fits the activation (property "Initializer").</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceInitializerCodeFixProvider))]
[Shared]
public sealed class ReplaceInitializerCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key shared by every instance of this fix.</summary>
    public const string EquivalenceKey = "Layerwise.ReplaceInitializer";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InitializerMismatch.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue("Initializer", out string? initializer) || initializer is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use Initializer.{initializer}",
                    token => ReplaceAsync(context.Document, diagnostic.Location, initializer, token),
                    EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> ReplaceAsync(Document document, Location location, string initializer, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        AttributeSyntax? attribute = AttributeEditing.FindAttribute(editor.OriginalRoot, location);
        AttributeArgumentSyntax? argument = attribute is null ? null : AttributeEditing.Named(attribute, "Initializer");
        if (argument is not null)
        {
            editor.ReplaceNode(argument, argument.WithExpression(AttributeEditing.WithMember(argument.Expression, "Initializer", initializer)));
        }

        return editor.GetChangedDocument();
    }
}
