using System;
using System.Numerics;

namespace Layerwise.Training;

/// <summary>
/// The settings of an update rule. An optimizer has no per-parameter state: <see cref="CreateState{T}(int)"/>
/// allocates the moments for one parameter buffer, so one optimizer can configure several trainings.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Validates and stores the learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not a positive finite number.</exception>
    protected Optimizer(double learningRate)
    {
        if (!double.IsFinite(learningRate) || learningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        }

        LearningRate = learningRate;
    }

    /// <summary>The step size.</summary>
    public double LearningRate { get; }

    /// <summary>Allocates the state that updates a buffer of <paramref name="parameterCount"/> parameters.</summary>
    public abstract OptimizerState<T> CreateState<T>(int parameterCount)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Allocates the state that updates <paramref name="network"/>'s parameters. Where the update splits between
    /// cores, each core takes the rows of the dense weights whose gradients it computed, so they need not cross
    /// from another core's cache. The values are those of the state for a bare buffer.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">The network's layers do not fit its parameter count.</exception>
    public OptimizerState<T> CreateState<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var partition = ParameterPartition.FromLayers(network.Layers, network.ParameterCount);
        OptimizerState<T> state = CreateState<T>(network.ParameterCount);
        state.UsePartition(partition);
        return state;
    }
}

/// <summary>The per-parameter state of an optimizer for one parameter buffer; its steps allocate nothing.</summary>
/// <typeparam name="T">The element type of parameters and gradients.</typeparam>
public abstract class OptimizerState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates state for <paramref name="parameterCount"/> parameters.</summary>
    protected OptimizerState(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        ParameterCount = parameterCount;
    }

    /// <summary>The length of the buffers this state updates.</summary>
    public int ParameterCount { get; }

    /// <summary>How a split update shares the buffer between threads, or null to cut it into equal ranges.</summary>
    internal ParameterPartition? Partition { get; private set; }

    /// <summary>Makes split updates share the buffer as <paramref name="partition"/> describes.</summary>
    internal virtual void UsePartition(ParameterPartition partition) => Partition = partition;

    /// <summary>The number of steps taken so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>.</summary>
    /// <exception cref="ArgumentException">A span's length differs from <see cref="ParameterCount"/>.</exception>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        ThrowHelper.ThrowIfLengthDiffers(ParameterCount, parameters.Length, nameof(parameters));
        ThrowHelper.ThrowIfLengthDiffers(ParameterCount, gradients.Length, nameof(gradients));
        StepCount++;
        Update(parameters, gradients, StepCount);
    }

    /// <summary>Applies step number <paramref name="step"/> (1-based); the lengths are already checked.</summary>
    protected abstract void Update(Span<T> parameters, ReadOnlySpan<T> gradients, long step);
}
