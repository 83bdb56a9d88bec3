namespace Layerwise.Training.Health;

/// <summary>
/// The limits of the training-health checks. They are this project's defaults; the docs page of each ID gives
/// the reasoning behind its value.
/// </summary>
public static class HealthThresholds
{
    /// <summary>LW3002: the first Dense layer's gradient norm divided by the last's below this means vanishing gradients.</summary>
    public const double VanishingRatio = 1e-3;

    /// <summary>LW3002: and the first layer's gradient norm itself below this, so that a ratio alone does not flag healthy small gradients.</summary>
    public const double VanishingFirstLayerNorm = 1e-3;

    /// <summary>LW3003: a whole-network gradient norm above this means exploding gradients.</summary>
    public const double ExplodingNorm = 1e3;

    /// <summary>LW3004: a ReLU unit active on fewer than this share of samples counts as dead.</summary>
    public const double DeadUnitActivity = 0.01;

    /// <summary>LW3004 and LW3005: more than this share of a layer's units dead, or of its values saturated, is reported.</summary>
    public const double LayerShare = 0.5;

    /// <summary>LW3005: a sigmoid or tanh pre-activation beyond ±5 counts as saturated.</summary>
    public const double SaturationInput = 5;

    /// <summary>LW3006 and LW3007: a feature or target whose |mean| + standard deviation exceeds this is far from unit scale.</summary>
    public const double UnitScale = 5;

    /// <summary>The most training samples the epoch-end activation checks run through the network.</summary>
    public const int ActivationSamples = 256;
}
