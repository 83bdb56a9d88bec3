namespace Layerwise;

/// <summary>
/// Default learning-rate limits of LW1012 and LW1013. This one file is compiled into both the analyzers (as the
/// defaults that .editorconfig can override) and the runtime (the check before training), so the two never disagree.
/// </summary>
internal static class LearningRateLimits
{
    /// <summary>Adam, AdamW and RMSprop rates above this draw the LW1012 warning.</summary>
    public const double AdaptiveWarning = 1e-2;

    /// <summary>Adam, AdamW and RMSprop rates at or above this are the LW1013 error.</summary>
    public const double AdaptiveError = 0.1;

    /// <summary>SGD rates above this draw the LW1012 warning.</summary>
    public const double SgdWarning = 1.0;

    /// <summary>Rates below this draw the LW1012 warning, because the weights barely move.</summary>
    public const double Minimum = 1e-7;
}
