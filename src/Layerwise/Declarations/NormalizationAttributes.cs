using System;

namespace Layerwise;

/// <summary>
/// Declares batch normalization over each feature: in training y = (x − μ_B) / √(σ²_B + ε) · gain + bias with the
/// batch mean and biased batch variance, and the running statistics updated as
/// running ← (1 − momentum)·running + momentum·batch (the variance with Bessel's correction); in inference the
/// running statistics replace the batch ones. PyTorch: <c>nn.BatchNorm1d(features)</c>.
/// </summary>
/// <remarks>Gain and bias are parameters; the running mean and variance are state, never touched by an optimizer.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : Attribute
{
    /// <summary>The weight of the current batch in the running statistics, in (0, 1]. Default 0.1, as PyTorch.</summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>ε, added to the variance; positive. Default 1e-5, as PyTorch.</summary>
    public double Epsilon { get; set; } = 1e-5;
}

/// <summary>
/// Declares root-mean-square normalization over the features of one sample: y = x / √(mean(x²) + ε) · gain,
/// with a learned gain starting at one and no bias (Zhang and Sennrich, 2019).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RMSNormAttribute : Attribute
{
    /// <summary>ε, added to the mean square; positive. Default 1e-6.</summary>
    public double Epsilon { get; set; } = 1e-6;
}

/// <summary>
/// Declares input standardization: y = (x − mean) / std per feature, with mean and standard deviation fitted from
/// the training data before training (a feature with zero deviation keeps std 1). The statistics are state,
/// saved with the parameters. It must directly follow [Input].
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class StandardizeAttribute : Attribute
{
}
