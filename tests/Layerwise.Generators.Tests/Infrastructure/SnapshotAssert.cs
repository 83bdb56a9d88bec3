using System;
using System.IO;
using Xunit.Sdk;

namespace Layerwise.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated source with a reviewed file in the Snapshots folder. Set the environment variable
/// <see cref="UpdateSwitch"/> to 1 to rewrite the files in the source tree instead.
/// </summary>
internal static class SnapshotAssert
{
    public const string UpdateSwitch = "LAYERWISE_UPDATE_SNAPSHOTS";

    private const string FolderName = "Snapshots";

    /// <summary>
    /// Fails unless <paramref name="actual"/> equals Snapshots/<paramref name="fileName"/> up to line endings.
    /// The expected file is read from the build output, where the project copies the Snapshots folder.
    /// </summary>
    public static void Matches(string fileName, string actual)
    {
        string normalizedActual = NormalizeLineEndings(actual);
        if (Environment.GetEnvironmentVariable(UpdateSwitch) == "1")
        {
            string target = Path.Combine(RepositoryPaths.TestProjectFolder, FolderName, fileName);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, normalizedActual);
            throw new XunitException(
                $"Updated the snapshot {target} because {UpdateSwitch}=1. Review the diff, then run the tests again without the switch.");
        }

        string expectedPath = Path.Combine(AppContext.BaseDirectory, FolderName, fileName);
        if (!File.Exists(expectedPath))
        {
            throw new XunitException(
                $"The snapshot {FolderName}/{fileName} does not exist. Run the tests with {UpdateSwitch}=1 to create it, then review it.");
        }

        string expected = NormalizeLineEndings(File.ReadAllText(expectedPath));
        if (expected == normalizedActual)
        {
            return;
        }

        throw new XunitException(DescribeFirstDifference(fileName, expected, normalizedActual));
    }

    private static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static string DescribeFirstDifference(string fileName, string expected, string actual)
    {
        string[] expectedLines = expected.Split('\n');
        string[] actualLines = actual.Split('\n');
        int line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        string expectedLine = line < expectedLines.Length ? expectedLines[line] : "<end of file>";
        string actualLine = line < actualLines.Length ? actualLines[line] : "<end of file>";
        return $"""
            Generated source differs from {FolderName}/{fileName} at line {line + 1}.
              expected: {expectedLine}
              actual:   {actualLine}
            If the change is intended, run the tests with {UpdateSwitch}=1 to rewrite the snapshot, then review the diff.
            """;
    }
}
