using System;
using System.IO;

namespace Layerwise.Generators.Tests.Infrastructure;

/// <summary>Folders of the source tree, found by walking up from the test assembly's folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that contains Layerwise.Generators.Tests.csproj, where snapshots are written.</summary>
    public static string TestProjectFolder => FindAncestorContaining("Layerwise.Generators.Tests.csproj");

    /// <summary>The repository root: the folder that contains Generators.sln.</summary>
    public static string RepositoryRoot => FindAncestorContaining("Generators.sln");

    private static string FindAncestorContaining(string fileName)
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, fileName)))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder above the test output '{AppContext.BaseDirectory}' contains {fileName}; run the tests from a clone of the repository.");
    }
}
