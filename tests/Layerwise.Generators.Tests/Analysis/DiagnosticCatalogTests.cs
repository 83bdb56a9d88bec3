using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Layerwise.Generators.Analyzers;
using Layerwise.Generators.Diagnostics;
using Layerwise.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Layerwise.Generators.Tests.Analysis;

/// <summary>Every LW descriptor has its texts, help link, release-tracking entry and documentation page.</summary>
public sealed class DiagnosticCatalogTests
{
    public static TheoryData<string> Ids()
    {
        var ids = new TheoryData<string>();
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
        {
            ids.Add(descriptor.Id);
        }

        return ids;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLink_PointsAtDocsPage(string id)
    {
        DiagnosticDescriptor descriptor = Descriptor(id);

        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Texts_AreInResources(string id)
    {
        DiagnosticDescriptor descriptor = Descriptor(id);

        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString(CultureInfo.InvariantCulture)), $"{id} has no title.");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture)), $"{id} has no message.");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString(CultureInfo.InvariantCulture)), $"{id} has no description.");
    }

    [Fact]
    public void Ids_AreUnique()
    {
        string[] ids = DiagnosticDescriptors.All.Select(descriptor => descriptor.Id).ToArray();

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Analyzer_SupportsEveryDescriptor()
    {
        var analyzer = new NetworkDeclarationAnalyzer();

        Assert.Equal(
            DiagnosticDescriptors.All.Select(descriptor => descriptor.Id),
            analyzer.SupportedDiagnostics.Select(descriptor => descriptor.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void UnshippedReleases_ListId(string id)
    {
        DiagnosticDescriptor descriptor = Descriptor(id);
        Dictionary<string, string[]> rows = ReadUnshippedRules();

        Assert.True(rows.ContainsKey(id), $"AnalyzerReleases.Unshipped.md has no row for {id}.");
        Assert.Equal(descriptor.Category, rows[id][1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), rows[id][2]);
    }

    [Fact]
    public void UnshippedReleases_ListNoUnknownId()
    {
        IEnumerable<string> unknown = ReadUnshippedRules().Keys.Where(id => DiagnosticDescriptors.Find(id) is null);

        Assert.Empty(unknown);
    }

    /// <summary>
    /// Every ID needs docs/diagnostics/ID.md, the page its help link names. The pages are written
    /// separately from the analyzer, so this test fails until they are in the repository.
    /// </summary>
    [Fact]
    public void DocsPage_ExistsForEveryId()
    {
        string folder = Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "diagnostics");
        List<string> missing = DiagnosticDescriptors.All
            .Select(descriptor => descriptor.Id)
            .Where(id => !File.Exists(Path.Combine(folder, id + ".md")))
            .ToList();

        Assert.True(missing.Count == 0, $"No page in {folder} for: {string.Join(", ", missing)}.");
    }

    private static DiagnosticDescriptor Descriptor(string id) =>
        DiagnosticDescriptors.Find(id) ?? throw new ArgumentException($"No descriptor has the ID {id}.", nameof(id));

    /// <summary>Reads the rule table of AnalyzerReleases.Unshipped.md into rows of ID, category, severity and notes, keyed by ID.</summary>
    private static Dictionary<string, string[]> ReadUnshippedRules()
    {
        string path = Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Layerwise.Generators", "AnalyzerReleases.Unshipped.md");
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            string[] cells = line.Split('|').Select(cell => cell.Trim()).ToArray();
            if (cells.Length == 4 && cells[0].StartsWith("LW", StringComparison.Ordinal))
            {
                rows.Add(cells[0], cells);
            }
        }

        return rows;
    }
}
