using Layerwise.Generators.Emitting;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.Generators;

/// <summary>
/// Generates the forward pass, gradient computation and <c>INetwork&lt;float&gt;</c> implementation of
/// every class marked <c>[Network]</c>. Declarations with errors produce no code; the analyzer explains them.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for the caching tests.</summary>
    public static class TrackingNames
    {
        /// <summary>The declaration read into a model (null when it cannot be built).</summary>
        public const string Parse = nameof(Parse);

        /// <summary>The models that can be emitted.</summary>
        public const string Buildable = nameof(Buildable);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The attribute name lets the compiler skip every class without [Network] cheaply; the transform
        // runs only for marked classes and keeps nothing but plain values.
        IncrementalValuesProvider<NetworkModel?> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeMetadataName,
                // A record struct is also a RecordDeclarationSyntax, but [Network] is not valid on it (CS0592),
                // so only record classes pass.
                predicate: static (node, _) => node is ClassDeclarationSyntax || node.IsKind(SyntaxKind.RecordDeclaration),
                transform: static (attributeContext, cancellationToken) =>
                    NetworkParser.Parse((INamedTypeSymbol)attributeContext.TargetSymbol, cancellationToken).Model)
            .WithTrackingName(TrackingNames.Parse);

        // Declarations with errors drop out here, so no code that fails to compile is ever added.
        IncrementalValuesProvider<NetworkModel> buildable = parsed
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Buildable);

        context.RegisterSourceOutput(buildable, static (output, model) =>
            output.AddSource(model.HintName, NetworkEmitter.Emit(model)));
    }
}
