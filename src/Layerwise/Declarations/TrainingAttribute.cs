using System;

namespace Layerwise;

/// <summary>The update rules a network can declare as its training default.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent, with momentum when <see cref="TrainingAttribute.Momentum"/> is set.</summary>
    Sgd = 0,

    /// <summary>Adam (Kingma and Ba, 2015).</summary>
    Adam = 1,

    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter, 2019).</summary>
    AdamW = 2,

    /// <summary>RMSprop (Tieleman and Hinton, 2012).</summary>
    RMSprop = 3,
}

/// <summary>
/// Declares the training defaults of a network: <c>Fit</c> uses them for every setting its options leave unset,
/// and the analyzers check them as you type (a learning rate no optimizer survives, BatchNorm with batches of one).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TrainingAttribute : Attribute
{
    /// <summary>Declares training with <paramref name="optimizer"/>.</summary>
    public TrainingAttribute(OptimizerKind optimizer) => Optimizer = optimizer;

    /// <summary>The update rule.</summary>
    public OptimizerKind Optimizer { get; }

    /// <summary>
    /// The step size; NaN selects the default: PyTorch's for Adam and AdamW (1e-3) and RMSprop (0.01), and 0.01 for SGD,
    /// whose PyTorch constructor has no default.
    /// </summary>
    public double LearningRate { get; set; } = double.NaN;

    /// <summary>Momentum of SGD in [0, 1); 0 turns it off. Default 0.</summary>
    public double Momentum { get; set; }

    /// <summary>Samples per step; 0 selects the trainer's default of 32.</summary>
    public int BatchSize { get; set; }

    /// <summary>Passes over the training data; 0 selects the trainer's default of 10.</summary>
    public int Epochs { get; set; }
}
