using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Layerwise.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Layerwise.CodeFixes;

/// <summary>LW1001: inserts [LayerNorm] after every layer of a saturating stack but the last.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertLayerNormCodeFixProvider))]
[Shared]
public sealed class InsertLayerNormCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key shared by every instance of this fix, so Fix All can batch them.</summary>
    public const string EquivalenceKey = "Layerwise.InsertLayerNorm";

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
            if (diagnostic.AdditionalLocations.Count < 2)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Insert [LayerNorm] between the layers",
                    cancellationToken => InsertAsync(context.Document, diagnostic, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> InsertAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        SyntaxNode root = editor.OriginalRoot;
        foreach (Location location in diagnostic.AdditionalLocations.Take(diagnostic.AdditionalLocations.Count - 1))
        {
            AttributeSyntax? attribute = AttributeEditing.FindAttribute(root, location);
            if (attribute?.Parent is not AttributeListSyntax list)
            {
                continue;
            }

            AttributeSyntax layerNorm = SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("LayerNorm"));
            if (list.Attributes.Count > 1)
            {
                editor.InsertAfter(attribute, layerNorm);
                continue;
            }

            // A list of its own goes on its own line, indented like the list it follows.
            SyntaxTriviaList indentation = SyntaxFactory.TriviaList(list.GetLeadingTrivia().Where(trivia => trivia.IsKind(SyntaxKind.WhitespaceTrivia)));
            AttributeListSyntax newList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(layerNorm))
                .WithLeadingTrivia(indentation)
                .WithTrailingTrivia(list.GetTrailingTrivia());
            editor.InsertAfter(list, newList);
        }

        return editor.GetChangedDocument();
    }
}
