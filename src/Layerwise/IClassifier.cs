using System;
using System.Numerics;

namespace Layerwise;

/// <summary>A generated network trained with <see cref="Loss.CrossEntropy"/>, which also takes class labels.</summary>
/// <typeparam name="T">The element type of parameters, inputs and outputs.</typeparam>
public interface IClassifier<T> : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Computes the mean cross-entropy of a batch of class labels and overwrites <paramref name="gradients"/> with its
    /// derivative with respect to <see cref="INetwork{T}.Parameters"/>, as the one-hot targets of those labels would.
    /// </summary>
    /// <param name="inputs">Row-major [batch, InputSize].</param>
    /// <param name="labels">One class index in [0, OutputSize) per sample.</param>
    /// <param name="gradients">Exactly ParameterCount values, overwritten.</param>
    /// <returns>The mean loss.</returns>
    /// <exception cref="ArgumentException">A span has the wrong length or a label is out of range.</exception>
    T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, Span<T> gradients);
}
