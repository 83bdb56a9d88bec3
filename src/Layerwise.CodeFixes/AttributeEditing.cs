using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.CodeFixes;

/// <summary>Reads and rewrites the arguments of Layerwise attributes for the code fixes.</summary>
internal static class AttributeEditing
{
    /// <summary>Returns the attribute whose span a diagnostic location covers, or null.</summary>
    public static AttributeSyntax? FindAttribute(SyntaxNode root, Location location) =>
        location.IsInSource
            ? root.FindNode(location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>()
            : null;

    /// <summary>Returns the positional argument at <paramref name="position"/>, or null when the attribute has fewer.</summary>
    public static AttributeArgumentSyntax? Positional(AttributeSyntax attribute, int position) =>
        attribute.ArgumentList?.Arguments
            .Where(argument => argument.NameEquals is null && argument.NameColon is null)
            .ElementAtOrDefault(position);

    /// <summary>Returns the named argument <c>name = …</c>, or null.</summary>
    public static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault(argument => argument.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>
    /// Returns <paramref name="expression"/> with its member name replaced (<c>Activation.Sigmoid</c> becomes
    /// <c>Activation.ReLU</c>), keeping whatever qualifier the user wrote; any other expression becomes
    /// <c>enumName.member</c>.
    /// </summary>
    public static ExpressionSyntax WithMember(ExpressionSyntax expression, string enumName, string member) =>
        expression is MemberAccessExpressionSyntax access
            ? access.WithName(SyntaxFactory.IdentifierName(member).WithTriviaFrom(access.Name))
            : SyntaxFactory.ParseExpression(enumName + "." + member).WithTriviaFrom(expression);

    /// <summary>The positional argument that holds the activation: the second of [Dense], the first of [Activation].</summary>
    public static int ActivationPosition(AttributeSyntax attribute) =>
        SimpleName(attribute) is "Activation" or "ActivationAttribute" ? 0 : 1;

    /// <summary>Returns the attribute's name without qualifier or the Attribute suffix.</summary>
    public static string SimpleName(AttributeSyntax attribute)
    {
        string name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => attribute.Name.ToString(),
        };
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    /// <summary>
    /// Returns <paramref name="attribute"/> with its activation argument set to <paramref name="activation"/>, adding the
    /// argument after the units of a [Dense] that had none.
    /// </summary>
    public static AttributeSyntax WithActivation(AttributeSyntax attribute, string activation)
    {
        int position = ActivationPosition(attribute);
        AttributeArgumentSyntax? argument = Positional(attribute, position);
        if (argument is not null)
        {
            return attribute.ReplaceNode(argument, argument.WithExpression(WithMember(argument.Expression, "Activation", activation)));
        }

        AttributeArgumentSyntax added = SyntaxFactory.AttributeArgument(SyntaxFactory.ParseExpression("Activation." + activation));
        AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        return attribute.WithArgumentList(list.WithArguments(list.Arguments.Insert(position, added)));
    }
}
