using System;

namespace Layerwise.Training;

/// <summary>Settings of one call to <see cref="Trainer.Fit{T}"/>.</summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training set; at least 1. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per gradient step; at least 1. The last batch of an epoch may be smaller. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The update rule. Default: Adam with PyTorch's defaults (learning rate 1e-3).</summary>
    public Optimizer Optimizer { get; init; } = new Adam();

    /// <summary>Whether the sample order is reshuffled before every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of the shuffles; the same seed, data and network give the same training. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Whether <c>Fit</c> sets the statistics of a Standardize layer from the training features before the first
    /// step. Turn it off to keep statistics loaded with the weights. Default true.
    /// </summary>
    public bool FitStandardization { get; init; } = true;

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

        if (Optimizer is null)
        {
            throw new ArgumentNullException(nameof(Optimizer), "An optimizer is required.");
        }
    }
}
