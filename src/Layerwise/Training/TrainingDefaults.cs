namespace Layerwise.Training;

/// <summary>The training settings a network declares with [Training]; <c>Fit</c> uses them where its options are unset.</summary>
/// <param name="Optimizer">The update rule.</param>
/// <param name="LearningRate">The step size, already resolved from the optimizer's default when the declaration left it unset.</param>
/// <param name="Momentum">SGD momentum in [0, 1).</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Epochs">Passes over the training data.</param>
public sealed record TrainingDefaults(OptimizerKind Optimizer, double LearningRate, double Momentum, int BatchSize, int Epochs)
{
    /// <summary>Creates the optimizer these defaults describe.</summary>
    public Optimizer CreateOptimizer() => Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(LearningRate, Momentum),
        OptimizerKind.AdamW => new AdamW(LearningRate),
        OptimizerKind.RMSprop => new RMSprop(LearningRate),
        _ => new Adam(LearningRate),
    };
}
