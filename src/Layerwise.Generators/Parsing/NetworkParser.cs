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
                new EquatableArray<LayerModel>(reader.Layers))
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

    /// <summary>Returns "Network", "Input", "Dense" or "LayerNorm" for a Layerwise attribute class, else null.</summary>
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

    /// <summary>Walks the attributes in source order and collects the layers and their errors.</summary>
    private sealed class LayerReader
    {
        private readonly string _typeName;
        private readonly List<Finding> _findings;
        private int _networkIndex = -1;
        private int _width;

        public LayerReader(string typeName, List<Finding> findings)
        {
            _typeName = typeName;
            _findings = findings;
        }

        public LossKind? Loss { get; private set; }

        public int InputIndex { get; private set; } = -1;

        public int InputSize { get; private set; }

        public List<LayerModel> Layers { get; } = new();

        public List<int> LayerwiseAttributeIndices { get; } = new();

        /// <summary>True when an attribute did not bind (the compiler reports it), so nothing is generated.</summary>
        public bool HasCompilerErrors { get; private set; }

        public void Read(AttributeData attribute, int index)
        {
            if (attribute.AttributeClass is null || attribute.AttributeClass.TypeKind == TypeKind.Error)
            {
                // An attribute that does not bind may be one of ours misspelled; the compiler reports it.
                HasCompilerErrors = true;
                return;
            }

            string? name = GetLayerwiseAttributeName(attribute.AttributeClass);
            if (name is null)
            {
                return;
            }

            LayerwiseAttributeIndices.Add(index);
            if (name == "Network" && _networkIndex < 0)
            {
                _networkIndex = index;
            }

            ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
            if (attribute.AttributeConstructor is null || HasArgumentErrors(arguments))
            {
                HasCompilerErrors = true;
                return;
            }

            switch (name)
            {
                case "Network":
                    ReadNetwork(arguments, index);
                    break;
                case "Input":
                    ReadInput(arguments, index);
                    break;
                case "Dense":
                    ReadDense(arguments, index);
                    break;
                case "LayerNorm":
                    Layers.Add(new LayerModel(LayerKind.LayerNorm, _width, ActivationKind.Identity, index));
                    break;
            }
        }

        public void Complete()
        {
            if (_networkIndex < 0 && LayerwiseAttributeIndices.Count > 0)
            {
                _findings.Add(new Finding("LW0012", FindingTarget.Attribute(LayerwiseAttributeIndices[0]), Arguments(_typeName)));
                return;
            }

            if (HasCompilerErrors || _networkIndex < 0)
            {
                return;
            }

            if (InputIndex < 0)
            {
                _findings.Add(new Finding("LW0002", FindingTarget.TypeName, Arguments(_typeName)));
                return;
            }

            if (Layers.Count == 0)
            {
                _findings.Add(new Finding("LW0009", FindingTarget.Attribute(InputIndex), Arguments(_typeName)));
                return;
            }

            CheckOutputFitsLoss();
            CheckSizeLimits();
        }

        private void ReadNetwork(ImmutableArray<TypedConstant> arguments, int index)
        {
            if (Loss is not null)
            {
                // A second [Network] draws CS0579 from the compiler; reading its loss would only add noise.
                return;
            }

            int value = ToInt(arguments[0]);
            if (!Enum.IsDefined(typeof(LossKind), value))
            {
                _findings.Add(new Finding(
                    "LW0010",
                    FindingTarget.Attribute(index),
                    Arguments(value.ToString(CultureInfo.InvariantCulture), "Loss", string.Join(", ", Enum.GetNames(typeof(LossKind))))));
                return;
            }

            Loss = (LossKind)value;
        }

        private void ReadInput(ImmutableArray<TypedConstant> arguments, int index)
        {
            if (InputIndex >= 0)
            {
                _findings.Add(new Finding("LW0008", FindingTarget.Attribute(index), Arguments(_typeName, "remove the duplicate [Input]")));
                return;
            }

            if (Layers.Count > 0)
            {
                _findings.Add(new Finding("LW0008", FindingTarget.Attribute(index), Arguments(_typeName, "move it above the first layer")));
            }

            InputIndex = index;
            InputSize = ToInt(arguments[0]);
            _width = InputSize;
            if (InputSize <= 0)
            {
                _findings.Add(new Finding(
                    "LW0003",
                    FindingTarget.Attribute(index),
                    Arguments("[Input]", InputSize.ToString(CultureInfo.InvariantCulture))));
            }
        }

        private void ReadDense(ImmutableArray<TypedConstant> arguments, int index)
        {
            int units = ToInt(arguments[0]);
            int activationValue = arguments.Length > 1 ? ToInt(arguments[1]) : 0;
            string display = "Layer " + (Layers.Count + 1).ToString(CultureInfo.InvariantCulture) + " [Dense]";
            if (units <= 0)
            {
                _findings.Add(new Finding("LW0003", FindingTarget.Attribute(index), Arguments(display, units.ToString(CultureInfo.InvariantCulture))));
            }

            if (!Enum.IsDefined(typeof(ActivationKind), activationValue))
            {
                _findings.Add(new Finding(
                    "LW0010",
                    FindingTarget.Attribute(index),
                    Arguments(
                        activationValue.ToString(CultureInfo.InvariantCulture),
                        "Activation",
                        string.Join(", ", Enum.GetNames(typeof(ActivationKind))))));
                activationValue = 0;
            }

            var activation = (ActivationKind)activationValue;
            if (activation == ActivationKind.Softmax && units == 1)
            {
                _findings.Add(new Finding("LW0005", FindingTarget.Attribute(index), Arguments(display)));
            }

            Layers.Add(new LayerModel(LayerKind.Dense, units, activation, index));
            _width = units;
        }

        private void CheckOutputFitsLoss()
        {
            if (Loss is not (LossKind.CrossEntropy or LossKind.BinaryCrossEntropy))
            {
                return;
            }

            ActivationKind required = Loss == LossKind.CrossEntropy ? ActivationKind.Softmax : ActivationKind.Sigmoid;
            LayerModel output = Layers[Layers.Count - 1];
            if (output.Kind == LayerKind.Dense && output.Activation == required)
            {
                return;
            }

            string actual = output.Kind == LayerKind.Dense
                ? "Dense(" + output.Units.ToString(CultureInfo.InvariantCulture) + ", Activation." + output.Activation + ")"
                : "LayerNorm";
            _findings.Add(new Finding(
                "LW0004",
                FindingTarget.Attribute(output.AttributeIndex),
                Arguments(Loss.Value.ToString(), required.ToString(), actual)));
        }

        private void CheckSizeLimits()
        {
            long parameters = 0;
            long record = 0;
            long width = InputSize;
            foreach (LayerModel layer in Layers)
            {
                parameters += layer.Kind == LayerKind.Dense ? (width + 1) * layer.Units : 2L * layer.Units;
                record += 3L * layer.Units + 1;
                width = layer.Units;
            }

            long largest = Math.Max(parameters, record);
            if (largest > MaxBufferLength)
            {
                _findings.Add(new Finding(
                    "LW0011",
                    FindingTarget.Attribute(_networkIndex),
                    Arguments(
                        _typeName,
                        largest.ToString(CultureInfo.InvariantCulture),
                        MaxBufferLength.ToString(CultureInfo.InvariantCulture))));
            }
        }

        private static bool HasArgumentErrors(ImmutableArray<TypedConstant> arguments)
        {
            foreach (TypedConstant argument in arguments)
            {
                if (argument.Kind == TypedConstantKind.Error || argument.Value is null)
                {
                    return true;
                }
            }

            return false;
        }

        private static int ToInt(TypedConstant constant) => constant.Value switch
        {
            int value => value,
            _ => Convert.ToInt32(constant.Value, CultureInfo.InvariantCulture),
        };
    }
}
