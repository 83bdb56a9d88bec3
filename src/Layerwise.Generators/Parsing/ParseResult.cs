using Layerwise.Generators.Model;

namespace Layerwise.Generators.Parsing;

/// <summary>
/// The reading of one declaration: the model when the network can be generated, and the problems
/// that stop it (or, from design rules, merely deserve a warning).
/// </summary>
/// <param name="Model">The network to emit; null when an error stops generation.</param>
/// <param name="Findings">LW errors in the declaration, for the analyzer to report.</param>
internal sealed record ParseResult(NetworkModel? Model, EquatableArray<Finding> Findings);
