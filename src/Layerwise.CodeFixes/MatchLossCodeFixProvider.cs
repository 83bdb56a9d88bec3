using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Layerwise.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Layerwise.CodeFixes;

/// <summary>
/// LW0004 and LW1002: changes the output activation to the one the loss requires, or the loss to the one the
/// output fits. The diagnostic's properties name the activation ("Activation") and the loss ("Loss"); its first
/// additional location is the [Network] attribute.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MatchLossCodeFixProvider))]
[Shared]
public sealed class MatchLossCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of changing the output activation.</summary>
    public const string ActivationKey = "Layerwise.MatchOutputActivation";

    /// <summary>The equivalence key of changing the loss.</summary>
    public const string LossKey = "Layerwise.MatchLoss";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.LossOutputMismatch.Id, DiagnosticDescriptors.RegressionLossBoundedOutput.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue("Activation", out string? activation) && activation is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use Activation.{activation} on the output layer",
                        token => EditAsync(context.Document, diagnostic.Location, attribute => AttributeEditing.WithActivation(attribute, activation), token),
                        ActivationKey),
                    diagnostic);
            }

            if (diagnostic.Properties.TryGetValue("Loss", out string? loss) && loss is not null && diagnostic.AdditionalLocations.Count > 0)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use Loss.{loss}",
                        token => EditAsync(context.Document, diagnostic.AdditionalLocations[0], attribute => WithLoss(attribute, loss), token),
                        LossKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static AttributeSyntax WithLoss(AttributeSyntax network, string loss)
    {
        AttributeArgumentSyntax? argument = AttributeEditing.Positional(network, 0);
        return argument is null
            ? network
            : network.ReplaceNode(argument, argument.WithExpression(AttributeEditing.WithMember(argument.Expression, "Loss", loss)));
    }

    private static async Task<Document> EditAsync(
        Document document, Location location, System.Func<AttributeSyntax, AttributeSyntax> edit, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        AttributeSyntax? attribute = AttributeEditing.FindAttribute(editor.OriginalRoot, location);
        if (attribute is not null)
        {
            editor.ReplaceNode(attribute, edit(attribute));
        }

        return editor.GetChangedDocument();
    }
}
