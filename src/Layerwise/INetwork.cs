using System;
using System.Collections.Generic;
using System.Numerics;

namespace Layerwise;

/// <summary>
/// A network generated from a layer declaration. The trainer, serialization and health checks work
/// through this interface, so they need no reflection.
/// </summary>
/// <typeparam name="T">The element type of parameters, inputs and outputs.</typeparam>
public interface INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of features of one input sample.</summary>
    int InputSize { get; }

    /// <summary>The number of values the last layer produces for one sample.</summary>
    int OutputSize { get; }

    /// <summary>The number of learned values in <see cref="Parameters"/>.</summary>
    int ParameterCount { get; }

    /// <summary>The loss that <see cref="ComputeGradients"/> minimizes.</summary>
    Loss Loss { get; }

    /// <summary>δ of <see cref="Loss.Huber"/>; 1 for other losses, which do not read it.</summary>
    double HuberDelta { get; }

    /// <summary>ε of label smoothing for <see cref="Loss.CrossEntropy"/>; 0 when off.</summary>
    double LabelSmoothing { get; }

    /// <summary>
    /// The learned values in one contiguous buffer, in PyTorch's <c>state_dict</c> order, layer by layer: a Dense
    /// layer's weight [outputs, inputs] row-major, its bias and its activation's parameters; LayerNorm and
    /// BatchNorm gain then bias; RMSNorm gain; a standalone activation's parameters. An activation's parameters are
    /// its PReLU slopes, then a learnable SiLU β, then an adaptive slope. Writes through the span change the network.
    /// </summary>
    Span<T> Parameters { get; }

    /// <summary>The number of values in <see cref="State"/>.</summary>
    int StateCount { get; }

    /// <summary>
    /// Values kept beside the parameters but never updated by an optimizer, in layer order: BatchNorm running
    /// mean then running variance, Standardize mean then standard deviation (PyTorch calls them buffers).
    /// </summary>
    Span<T> State { get; }

    /// <summary>
    /// The seed of the dropout masks and noise that <see cref="ComputeGradients"/> draws. The same seed gives the
    /// same masks, so gradient checks can repeat a training-mode pass; the trainer sets a new seed for every step.
    /// </summary>
    long NoiseSeed { get; set; }

    /// <summary>The layers after the input, in order, with their sizes and parameter ranges.</summary>
    IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>The training settings declared with [Training], or null when the network declares none.</summary>
    Training.TrainingDefaults? TrainingDefaults { get; }

    /// <summary>The number of values <see cref="ForwardLayers"/> writes: every layer's output for one sample.</summary>
    int RecordSize { get; }

    /// <summary>
    /// Computes one sample in inference mode, as <see cref="Forward(ReadOnlySpan{T}, Span{T})"/> does, and writes every
    /// layer's output into <paramref name="record"/> at <see cref="LayerDescription.RecordOffset"/>; the health checks
    /// read hidden activations through it.
    /// </summary>
    /// <param name="input">Exactly <see cref="InputSize"/> values.</param>
    /// <param name="record">Exactly <see cref="RecordSize"/> values, overwritten.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void ForwardLayers(ReadOnlySpan<T> input, Span<T> record);

    /// <summary>
    /// Computes the outputs of one sample in inference mode. Allocates nothing and is safe to call from
    /// several threads at once on one instance while no thread writes the parameters.
    /// </summary>
    /// <param name="input">Exactly <see cref="InputSize"/> values.</param>
    /// <param name="output">Exactly <see cref="OutputSize"/> values, overwritten with the last layer after its activation.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void Forward(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>Computes the outputs of <paramref name="batchSize"/> samples in inference mode.</summary>
    /// <remarks>
    /// Generated networks run batches of 16 samples or more through the batch matrix kernels, whose rows can differ from
    /// the one-sample <see cref="Forward(ReadOnlySpan{T}, Span{T})"/> in the last bits.
    /// </remarks>
    /// <param name="inputs">Row-major [batchSize, InputSize].</param>
    /// <param name="outputs">Row-major [batchSize, OutputSize], overwritten.</param>
    /// <param name="batchSize">The number of samples; zero or more.</param>
    /// <exception cref="ArgumentException">A span length does not match <paramref name="batchSize"/>.</exception>
    void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize);

    /// <summary>
    /// Computes the mean loss of a batch in training mode (batch statistics, dropout and noise drawn from
    /// <see cref="NoiseSeed"/>) and its gradient with respect to <see cref="Parameters"/>. Changes no parameter
    /// and no state. Frozen layers get zero gradients. It reuses a workspace owned by the instance, so call it
    /// from one thread at a time.
    /// </summary>
    /// <param name="inputs">Row-major [batch, InputSize]; its length must be a positive multiple of InputSize.</param>
    /// <param name="targets">Row-major [batch, OutputSize]: values for regression, one-hot rows or probabilities for cross-entropy.</param>
    /// <param name="gradients">Exactly <see cref="ParameterCount"/> values, overwritten with d(mean loss)/d(parameters).</param>
    /// <returns>The mean loss with PyTorch's default reduction for <see cref="Loss"/>.</returns>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients);

    /// <summary>
    /// Does what <see cref="ComputeGradients"/> does and also updates the BatchNorm running statistics in
    /// <see cref="State"/> from the batch, as one training step in PyTorch's training mode does.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    T ComputeGradientsAndUpdateStatistics(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients);
}
