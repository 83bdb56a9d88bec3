using System;
using System.Collections.Generic;

namespace Layerwise.Training.Health;

/// <summary>LW3001: training stopped because the loss or a gradient stopped being a finite number.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step where training diverged.</summary>
    public TrainingDivergedException(string message, int epoch, long step, int? layer, IReadOnlyList<TrainingFinding> findings)
        : base(message)
    {
        Epoch = epoch;
        Step = step;
        Layer = layer;
        Findings = findings;
    }

    /// <summary>Health findings of the unfinished epoch, including the checks before the first step when it was the first.</summary>
    public IReadOnlyList<TrainingFinding> Findings { get; }

    /// <summary>The 1-based epoch of the failing step.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based number of the failing step since training started.</summary>
    public long Step { get; }

    /// <summary>The 1-based number of the first layer with a non-finite gradient, or null when only the loss was non-finite.</summary>
    public int? Layer { get; }
}
