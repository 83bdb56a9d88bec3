namespace Layerwise.Generators.Model;

/// <summary>
/// A problem found in a declaration, without a location: the analyzer turns <see cref="Target"/> into one.
/// </summary>
/// <param name="DiagnosticId">The LW identifier.</param>
/// <param name="Target">Where the problem sits.</param>
/// <param name="MessageArguments">Values for the message format, in order.</param>
/// <param name="AdditionalTargets">Further places a code fix edits, such as every layer of a saturating stack.</param>
/// <param name="Properties">Values a code fix reads, such as the suggested activation.</param>
internal sealed record Finding(
    string DiagnosticId,
    FindingTarget Target,
    EquatableArray<string> MessageArguments,
    EquatableArray<FindingTarget> AdditionalTargets = default,
    EquatableArray<FindingProperty> Properties = default);

/// <summary>
/// The place a finding points at: an attribute of the class by its index, or the name of the class
/// (<see cref="AttributeIndex"/> = −1) or of a containing type <see cref="ContainingDepth"/> levels out.
/// </summary>
internal sealed record FindingTarget(int AttributeIndex, int ContainingDepth = 0)
{
    public static FindingTarget TypeName { get; } = new(-1);

    public static FindingTarget Attribute(int index) => new(index);

    public static FindingTarget ContainingType(int depth) => new(-1, depth);
}

/// <summary>A named value that travels with a diagnostic to its code fix.</summary>
internal sealed record FindingProperty(string Name, string Value);
