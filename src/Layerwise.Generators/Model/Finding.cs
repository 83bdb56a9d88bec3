namespace Layerwise.Generators.Model;

/// <summary>
/// A problem found in a declaration, without a location: the analyzer turns <see cref="Target"/> into one.
/// </summary>
/// <param name="DiagnosticId">The LW identifier.</param>
/// <param name="Target">Where the problem sits.</param>
/// <param name="MessageArguments">Values for the message format, in order.</param>
internal sealed record Finding(string DiagnosticId, FindingTarget Target, EquatableArray<string> MessageArguments);

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
