namespace Layerwise.Training.Health;

/// <summary>How serious a training-health finding is.</summary>
public enum FindingSeverity
{
    /// <summary>Worth knowing; training is not harmed.</summary>
    Info,

    /// <summary>Training runs but is likely to learn poorly.</summary>
    Warning,
}

/// <summary>A problem the trainer found in the data or in training, with the LW3xxx or LW1xxx ID of its docs page.</summary>
/// <param name="Id">The diagnostic ID, for example "LW3002".</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">What was found, with the values measured, and what to do about it.</param>
/// <param name="Epoch">The epoch it was found in; 0 for checks of the data and settings before the first step.</param>
/// <param name="Layer">The 1-based number of the layer concerned, or null.</param>
public sealed record TrainingFinding(string Id, FindingSeverity Severity, string Message, int Epoch, int? Layer = null)
{
    /// <summary>The address of the finding's docs page.</summary>
    // NOTE: the repository address is a placeholder until the project's public home is fixed.
    public string HelpLink => "https://github.com/layerwise/layerwise/blob/main/docs/diagnostics/" + Id + ".md";

    /// <inheritdoc/>
    public override string ToString() => $"{Id} ({Severity}, epoch {Epoch}): {Message}";
}
