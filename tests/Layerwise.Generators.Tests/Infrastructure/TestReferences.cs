using System.Collections.Immutable;
using System.Linq;
using System.Numerics.Tensors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Layerwise.Generators.Tests.Infrastructure;

/// <summary>
/// Metadata references for test compilations: the .NET 10 reference assemblies shipped in the
/// Basic.Reference.Assemblies package, the Layerwise runtime and System.Numerics.Tensors. Nothing is
/// downloaded, because the testing framework's own reference packs for .NET 10 are not available offline.
/// </summary>
internal static class TestReferences
{
    public static ImmutableArray<MetadataReference> All { get; } = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location))
        .Append(MetadataReference.CreateFromFile(typeof(TensorPrimitives).Assembly.Location))
        .ToImmutableArray();

    /// <summary>
    /// A target framework without a reference package, so the testing framework resolves no assemblies
    /// of its own. Tests add <see cref="All"/> to <c>AdditionalReferences</c> instead.
    /// </summary>
    public static ReferenceAssemblies NoPackage { get; } = new("net10.0");
}
