using System;

namespace Layerwise.Training;

/// <summary>Settings of one call to <see cref="Trainer.Fit{T}"/>.</summary>
public sealed class TrainingOptions
{
    /// <summary>The epochs when neither the options nor [Training] set them.</summary>
    public const int DefaultEpochs = 10;

    /// <summary>The batch size when neither the options nor [Training] set it.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Passes over the training set, at least 1; null uses the network's [Training] value, else 10.</summary>
    public int? Epochs { get; init; }

    /// <summary>
    /// Samples per gradient step, at least 1; null uses the network's [Training] value, else 32. The last batch of an
    /// epoch may be smaller.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>The update rule; null uses the network's [Training] optimizer, else Adam with PyTorch's defaults.</summary>
    public Optimizer? Optimizer { get; init; }

    /// <summary>Whether the sample order is reshuffled before every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of the shuffles; the same seed, data and network give the same training. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Whether <c>Fit</c> sets the statistics of a Standardize layer from the training features before the first
    /// step. Turn it off to keep statistics loaded with the weights. Default true.
    /// </summary>
    public bool FitStandardization { get; init; } = true;

    /// <summary>
    /// Whether Fit reports training-health findings (LW3xxx and the LW1012 learning-rate warning). Default true. Off or
    /// on, a non-finite loss or gradient stops training (LW3001), and labels beyond the output width (LW3008) and an
    /// unusable learning rate (LW1013) are rejected.
    /// </summary>
    public bool CheckHealth { get; init; } = true;

    /// <summary>
    /// Whether every epoch ends with a pass over the whole training set in inference mode for
    /// <see cref="EpochReport.TrainingLoss"/> and <see cref="EpochReport.TrainingAccuracy"/>. Default true. When false,
    /// TrainingLoss is the mean of the epoch's mini-batch losses in training mode, as other libraries report it, and
    /// TrainingAccuracy is NaN. On small data sets the pass can take about a third of a fit (47 of 158 ms on the digits).
    /// </summary>
    public bool EvaluateTrainingSet { get; init; } = true;

    internal void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        }
    }
}
