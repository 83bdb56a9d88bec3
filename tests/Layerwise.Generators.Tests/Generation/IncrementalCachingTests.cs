using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Layerwise.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Layerwise.Generators.Tests.Generation;

/// <summary>
/// An edit that does not touch a network declaration must not re-run the emitter, and the pipeline's
/// cached values must hold no symbols or syntax, which would keep old compilations alive.
/// </summary>
public sealed class IncrementalCachingTests
{
    private const string NetworkSource = """
        using Layerwise;

        namespace Samples;

        [Network(Loss.CrossEntropy)]
        [Input(4)]
        [Dense(8, Activation.ReLU)]
        [LayerNorm]
        [Dense(3, Activation.Softmax)]
        public partial class IrisNet;

        public static class Helpers
        {
            public static int Twice(int value) => value * 2;
        }
        """;

    private static readonly string[] TrackedSteps = [NetworkGenerator.TrackingNames.Parse, NetworkGenerator.TrackingNames.Buildable];

    [Fact]
    public void FirstRun_ProducesNewOutputs()
    {
        GeneratorRunResult result = RunOnce(GeneratorHarness.CreateCompilation(NetworkSource));

        foreach (string step in TrackedSteps)
        {
            Assert.All(Outputs(result, step), output => Assert.Equal(IncrementalStepRunReason.New, output.Reason));
        }
    }

    [Fact]
    public void UnrelatedTreeAdded_KeepsOutputsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(NetworkSource);
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "public static class Unrelated { public static int Zero() => 0; }", GeneratorHarness.ParseOptions, path: "Unrelated.cs"));

        GeneratorRunResult result = RunTwice(compilation, edited);

        AssertAllUnchangedOrCached(result);
    }

    [Fact]
    public void UnrelatedMethodEdited_KeepsOutputsCached()
    {
        // The edit is in the same file as the network, so the transform runs again and finds an equal model.
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(NetworkSource);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SyntaxTree editedTree = tree.WithChangedText(tree.GetText().Replace(
            NetworkSource.IndexOf("value * 2", StringComparison.Ordinal), "value * 2".Length, "value + value"));
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, editedTree);

        GeneratorRunResult result = RunTwice(compilation, edited);

        AssertAllUnchangedOrCached(result);
    }

    [Fact]
    public void LayerEdited_ModifiesParseOutput()
    {
        // A real change must get through the cache, or the tests above would pass for a pipeline that never updates.
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(NetworkSource);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SyntaxTree editedTree = tree.WithChangedText(tree.GetText().Replace(
            NetworkSource.IndexOf("Dense(8,", StringComparison.Ordinal), "Dense(8,".Length, "Dense(16,"));
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, editedTree);

        GeneratorRunResult result = RunTwice(compilation, edited);

        var parseOutput = Assert.Single(Outputs(result, NetworkGenerator.TrackingNames.Parse));
        Assert.Equal(IncrementalStepRunReason.Modified, parseOutput.Reason);
    }

    [Fact]
    public void StepOutputs_HoldNoCompilerObjects()
    {
        GeneratorRunResult result = RunOnce(GeneratorHarness.CreateCompilation(NetworkSource));

        foreach (string step in TrackedSteps)
        {
            foreach ((object value, _) in Outputs(result, step))
            {
                Assert.NotNull(value);
                List<string> found = CompilerObjectFinder.Find(value);
                Assert.True(found.Count == 0, $"The {step} step output holds compiler objects:\n{string.Join("\n", found)}");
            }
        }
    }

    [Fact]
    public void CompilerObjectFinder_FindsNestedSyntaxTree()
    {
        // Checks the walker itself, which must find a tree hidden in a list inside a tuple.
        SyntaxTree tree = CSharpSyntaxTree.ParseText("class C { }");
        object value = (1, new List<object> { "text", tree });

        List<string> found = CompilerObjectFinder.Find(value);

        Assert.Single(found);
    }

    private static GeneratorRunResult RunOnce(CSharpCompilation compilation) =>
        GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();

    private static GeneratorRunResult RunTwice(CSharpCompilation first, CSharpCompilation second)
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(first);
        return driver.RunGenerators(second).GetRunResult().Results.Single();
    }

    private static ImmutableArray<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step)
    {
        Assert.True(result.TrackedSteps.ContainsKey(step), $"The generator recorded no step named {step}.");
        ImmutableArray<(object Value, IncrementalStepRunReason Reason)> outputs =
            result.TrackedSteps[step].SelectMany(run => run.Outputs).ToImmutableArray();
        Assert.NotEmpty(outputs);
        return outputs;
    }

    private static void AssertAllUnchangedOrCached(GeneratorRunResult result)
    {
        foreach (string step in TrackedSteps)
        {
            Assert.All(
                Outputs(result, step),
                output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached,
                    $"The {step} step output was {output.Reason} after an unrelated edit."));
        }
    }

    /// <summary>
    /// Walks an object graph through fields, properties and enumerable elements and lists every value that
    /// is a symbol, syntax node, syntax tree, compilation, location or semantic model.
    /// </summary>
    private static class CompilerObjectFinder
    {
        private static readonly Type[] s_forbidden =
            [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(Location), typeof(SemanticModel)];

        public static List<string> Find(object root)
        {
            var found = new List<string>();
            Walk(root, "value", found, new HashSet<object>(ReferenceEqualityComparer.Instance));
            return found;
        }

        private static void Walk(object? value, string path, List<string> found, HashSet<object> visited)
        {
            if (value is null || value is string || value is Type || value.GetType().IsPrimitive || value.GetType().IsEnum)
            {
                return;
            }

            // An object reached along two paths (a list and its backing array) is reported once.
            if (!value.GetType().IsValueType && !visited.Add(value))
            {
                return;
            }

            if (Array.Exists(s_forbidden, forbidden => forbidden.IsInstanceOfType(value)))
            {
                found.Add($"{path}: {value.GetType().FullName}");
                return;
            }

            if (value is IEnumerable sequence)
            {
                int index = 0;
                foreach (object? element in sequence)
                {
                    Walk(element, $"{path}[{index++}]", found, visited);
                }
            }

            const BindingFlags instanceMembers = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            foreach (FieldInfo field in value.GetType().GetFields(instanceMembers))
            {
                Walk(field.GetValue(value), $"{path}.{field.Name}", found, visited);
            }

            foreach (PropertyInfo property in value.GetType().GetProperties(instanceMembers))
            {
                if (property.GetIndexParameters().Length == 0 && property.GetMethod is not null)
                {
                    Walk(property.GetValue(value), $"{path}.{property.Name}", found, visited);
                }
            }
        }
    }
}
