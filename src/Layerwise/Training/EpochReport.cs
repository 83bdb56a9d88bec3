using System;
using System.Collections.Generic;

namespace Layerwise.Training;

/// <summary>
/// The measurements taken after one epoch. Losses and accuracies are measured in inference mode over
/// the whole set with the weights at the end of the epoch, unless <see cref="TrainingOptions.EvaluateTrainingSet"/> is off.
/// </summary>
/// <param name="Epoch">The 1-based epoch number.</param>
/// <param name="TrainingLoss">
/// The mean loss on the training set; with <see cref="TrainingOptions.EvaluateTrainingSet"/> off, the mean of the
/// epoch's mini-batch losses in training mode.
/// </param>
/// <param name="TrainingAccuracy">
/// The share of training samples classified correctly, or NaN for data without labels or with
/// <see cref="TrainingOptions.EvaluateTrainingSet"/> off.
/// </param>
/// <param name="ValidationLoss">The mean loss on the validation set, or null without one.</param>
/// <param name="ValidationAccuracy">The validation accuracy; null without a validation set, NaN for data without labels.</param>
/// <param name="SamplesPerSecond">
/// Training samples processed per second of this epoch's steps: copying each batch, computing its gradients, the
/// per-step health check and the update.
/// </param>
/// <param name="Elapsed">The time since training started, including evaluation.</param>
public sealed record EpochReport(
    int Epoch,
    double TrainingLoss,
    double TrainingAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double SamplesPerSecond,
    TimeSpan Elapsed)
{
    /// <summary>
    /// Training-health problems first found in this epoch; the first report also carries the checks of the data and
    /// settings made before the first step (their <see cref="Health.TrainingFinding.Epoch"/> is 0). Empty when training is healthy.
    /// </summary>
    public IReadOnlyList<Health.TrainingFinding> Findings { get; init; } = Array.Empty<Health.TrainingFinding>();
}
