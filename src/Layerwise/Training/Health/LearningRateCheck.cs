using System;
using System.Collections.Generic;
using System.Globalization;

namespace Layerwise.Training.Health;

/// <summary>
/// The learning-rate ranges of LW1012 and LW1013 applied at run time, with the analyzer's default thresholds from
/// <see cref="LearningRateLimits"/>. Adam, AdamW and RMSprop warn above 1e-2 and below 1e-7 and stop at 0.1 or more.
/// SGD warns above 1 and below 1e-7.
/// </summary>
internal static class LearningRateCheck
{
    /// <summary>Returns the LW1012 warnings for <paramref name="optimizer"/>.</summary>
    /// <exception cref="ArgumentException">LW1013: an adaptive optimizer with a learning rate of 0.1 or more.</exception>
    public static IReadOnlyList<TrainingFinding> Check(Optimizer optimizer)
    {
        double rate = optimizer.LearningRate;
        string name = optimizer is Sgd ? "SGD" : optimizer.GetType().Name;
        bool adaptive = optimizer is not Sgd;
        string value = rate.ToString("R", CultureInfo.InvariantCulture);
        string typical = optimizer is Adam or AdamW ? "1e-3" : "0.01";
        if (adaptive && rate >= LearningRateLimits.AdaptiveError)
        {
            throw new ArgumentException(
                $"LW1013: the {name} learning rate {value} is {Format(LearningRateLimits.AdaptiveError)} or more, where every step moves each weight by about the learning rate, so training is likely to diverge; use {typical}.",
                nameof(optimizer));
        }

        string? problem =
            adaptive && rate > LearningRateLimits.AdaptiveWarning ? $"above {Format(LearningRateLimits.AdaptiveWarning)}, where adaptive steps of that size make training unstable; a typical value is {typical}" :
            !adaptive && rate > LearningRateLimits.SgdWarning ? $"above {Format(LearningRateLimits.SgdWarning)}, where SGD steps overshoot on almost any loss; a typical value is 0.01 to 0.1" :
            rate < LearningRateLimits.Minimum ? $"below {Format(LearningRateLimits.Minimum)}, where the weights barely move; a typical value is {typical}" :
            null;
        return problem is null
            ? Array.Empty<TrainingFinding>()
            : new[] { new TrainingFinding("LW1012", FindingSeverity.Warning, $"The {name} learning rate {value} is {problem}.", 0) };
    }

    /// <summary>Writes a limit for a message: 0.1 and 1 as they are, smaller ones in exponent form (1e-2, 1e-7).</summary>
    private static string Format(double value) =>
        value >= 0.1 ? value.ToString("R", CultureInfo.InvariantCulture) : value.ToString("0.###e0", CultureInfo.InvariantCulture);
}
