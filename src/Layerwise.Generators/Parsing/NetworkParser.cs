using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Layerwise.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.Generators.Parsing;

/// <summary>
/// Reads a network declaration (the class symbol and its attributes) into a <see cref="NetworkModel"/>
/// and the declaration errors that prevent generation. The generator and the analyzer both read
/// declarations through this class, so a rule and the generated code never disagree about what was declared.
/// </summary>
internal static class NetworkParser
{
    /// <summary>The metadata name the generator's pipeline looks for.</summary>
    public const string NetworkAttributeMetadataName = "Layerwise.NetworkAttribute";

    /// <summary>Above this many elements one parameter buffer or one per-sample record is refused.</summary>
    /// <remarks>Kept well below <see cref="int.MaxValue"/> so that offset arithmetic in generated code cannot overflow.</remarks>
    public const long MaxBufferLength = 1L << 30;

    private const string LayerwiseNamespace = "Layerwise";

    /// <summary>Reads <paramref name="type"/>; never throws on malformed input.</summary>
    public static ParseResult Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        CheckTypeShape(type, findings, cancellationToken);

        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        var reader = new LayerReader(type.Name, findings);
        for (int i = 0; i < attributes.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            reader.Read(attributes[i], i);
        }

        reader.Complete();
        CheckSingleDeclaration(type, attributes, reader.LayerwiseAttributeIndices, findings, cancellationToken);

        bool buildable = findings.Count == 0 && !reader.HasCompilerErrors && reader.Loss is not null && reader.InputIndex >= 0;
        NetworkModel? model = buildable
            ? new NetworkModel(
                type.ContainingNamespace is { IsGlobalNamespace: false } ns ? EscapeNamespace(ns.ToDisplayString()) : null,
                EscapeIdentifier(type.Name),
                type.IsRecord ? "record" : "class",
                new EquatableArray<ContainingTypeModel>(GetContainingTypes(type)),
                reader.Loss!.Value,
                reader.InputSize,
                new EquatableArray<LayerModel>(reader.Layers),
                reader.ElementType,
                reader.HuberDelta,
                reader.LabelSmoothing,
                reader.Training)
            : null;
        return new ParseResult(model, new EquatableArray<Finding>(findings));
    }

    /// <summary>Returns true when <paramref name="type"/> carries a Layerwise layer or network attribute.</summary>
    public static bool HasLayerwiseAttribute(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (GetLayerwiseAttributeName(attribute.AttributeClass) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the short name ("Network", "Input", "Dense", "BatchNorm", ...) of a Layerwise attribute class, else null.</summary>
    internal static string? GetLayerwiseAttributeName(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null
            || attributeClass.TypeKind == TypeKind.Error
            || attributeClass.ContainingNamespace is not { Name: LayerwiseNamespace } ns
            || !ns.ContainingNamespace.IsGlobalNamespace)
        {
            return null;
        }

        return attributeClass.Name switch
        {
            "NetworkAttribute" => "Network",
            "InputAttribute" => "Input",
            "DenseAttribute" => "Dense",
            "LayerNormAttribute" => "LayerNorm",
            "BatchNormAttribute" => "BatchNorm",
            "RMSNormAttribute" => "RMSNorm",
            "ActivationAttribute" => "Activation",
            "DropoutAttribute" => "Dropout",
            "GaussianNoiseAttribute" => "GaussianNoise",
            "StandardizeAttribute" => "Standardize",
            "ResidualAttribute" => "Residual",
            "TrainingAttribute" => "Training",
            _ => null,
        };
    }

    private static void CheckTypeShape(INamedTypeSymbol type, List<Finding> findings, CancellationToken cancellationToken)
    {
        if (!AllDeclarationsPartial(type, cancellationToken))
        {
            findings.Add(new Finding("LW0001", FindingTarget.TypeName, Arguments(type.Name)));
        }

        // IsGenericType is also true for a type nested in a generic type, so Arity decides here. The loop
        // below reports the nesting with its own reason.
        string? unsupported =
            type.Arity > 0 ? "is generic" :
            type.IsStatic ? "is static" :
            IsFileLocal(type, cancellationToken) ? "is file-local" :
            HasPrimaryConstructor(type, cancellationToken) ? "has a primary constructor" :
            null;
        if (unsupported is not null)
        {
            findings.Add(new Finding("LW0006", FindingTarget.TypeName, Arguments(type.Name, unsupported)));
        }

        int depth = 1;
        for (INamedTypeSymbol? containing = type.ContainingType; containing is not null; containing = containing.ContainingType, depth++)
        {
            if (!AllDeclarationsPartial(containing, cancellationToken))
            {
                findings.Add(new Finding("LW0001", FindingTarget.ContainingType(depth), Arguments(containing.Name)));
            }

            string? containingProblem =
                containing.Arity > 0 ? "generic" :
                IsFileLocal(containing, cancellationToken) ? "file-local" :
                null;
            if (containingProblem is not null)
            {
                findings.Add(new Finding(
                    "LW0006",
                    FindingTarget.TypeName,
                    Arguments(type.Name, "is nested in the " + containingProblem + " type '" + containing.Name + "'")));
            }
        }
    }

    /// <summary>Returns true when every declaration of <paramref name="type"/> has the <c>partial</c> modifier.</summary>
    internal static bool AllDeclarationsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFileLocal(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(SyntaxKind.FileKeyword))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasPrimaryConstructor(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null })
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckSingleDeclaration(
        INamedTypeSymbol type,
        ImmutableArray<AttributeData> attributes,
        List<int> layerwiseIndices,
        List<Finding> findings,
        CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.Length < 2)
        {
            return;
        }

        SyntaxNode? firstDeclaration = null;
        foreach (int index in layerwiseIndices)
        {
            // Attribute → attribute list → type declaration.
            SyntaxNode? declaration = attributes[index].ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent;
            if (declaration is null)
            {
                continue;
            }

            if (firstDeclaration is null)
            {
                firstDeclaration = declaration;
            }
            else if (declaration != firstDeclaration)
            {
                findings.Add(new Finding("LW0007", FindingTarget.Attribute(index), Arguments(type.Name)));
                return;
            }
        }
    }

    private static IEnumerable<ContainingTypeModel> GetContainingTypes(INamedTypeSymbol type)
    {
        var stack = new Stack<ContainingTypeModel>();
        for (INamedTypeSymbol? containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            string keyword = containing.TypeKind switch
            {
                TypeKind.Struct when containing.IsRecord => "record struct",
                TypeKind.Struct => "struct",
                TypeKind.Interface => "interface",
                _ when containing.IsRecord => "record",
                _ => "class",
            };
            stack.Push(new ContainingTypeModel(keyword, EscapeIdentifier(containing.Name)));
        }

        return stack;
    }

    internal static EquatableArray<string> Arguments(params string[] values) => new(values);

    /// <summary>
    /// Returns <paramref name="name"/> with '@' when it is a keyword, as the namespace's display string
    /// spells it. A class declared as <c>@class</c> has the name "class", which generated code cannot use
    /// bare, and a type named <c>record</c> without '@' draws warning CS8860.
    /// </summary>
    private static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.None
            ? name
            : "@" + name;

    private static string EscapeNamespace(string name) => string.Join(".", name.Split('.').Select(EscapeIdentifier));
}
