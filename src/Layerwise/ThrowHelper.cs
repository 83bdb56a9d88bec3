using System;
using System.Diagnostics.CodeAnalysis;

namespace Layerwise;

/// <summary>Argument checks shared by the runtime and by generated networks.</summary>
public static class ThrowHelper
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    /// <param name="expected">The required number of elements.</param>
    /// <param name="actual">The number of elements the caller passed.</param>
    /// <param name="parameterName">The name of the span argument.</param>
    /// <exception cref="ArgumentException"><paramref name="actual"/> differs from <paramref name="expected"/>.</exception>
    public static void ThrowIfLengthDiffers(int expected, int actual, string parameterName)
    {
        if (expected != actual)
        {
            ThrowLengthMismatch(expected, actual, parameterName);
        }
    }

    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>, a product that may exceed <see cref="int.MaxValue"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="actual"/> differs from <paramref name="expected"/>.</exception>
    public static void ThrowIfLengthDiffers(long expected, int actual, string parameterName)
    {
        if (expected != actual)
        {
            throw new ArgumentException(
                $"Expected a span of {expected} elements but got {actual}.", parameterName);
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> that names the expected and actual lengths.</summary>
    [DoesNotReturn]
    public static void ThrowLengthMismatch(int expected, int actual, string parameterName) =>
        throw new ArgumentException(
            $"Expected a span of {expected} elements but got {actual}.", parameterName);

    /// <summary>Throws unless <paramref name="length"/> is a positive multiple of <paramref name="rowSize"/>.</summary>
    /// <returns>The number of rows, <paramref name="length"/> / <paramref name="rowSize"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="length"/> is zero or not a multiple of <paramref name="rowSize"/>.</exception>
    public static int GetRowCount(int length, int rowSize, string parameterName)
    {
        if (length == 0 || length % rowSize != 0)
        {
            throw new ArgumentException(
                $"Expected a positive multiple of {rowSize} elements (rows of {rowSize} values) but got {length}.",
                parameterName);
        }

        return length / rowSize;
    }

    /// <summary>Throws when a batch size is negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is negative.</exception>
    public static void ThrowIfNegativeBatchSize(int batchSize, string parameterName)
    {
        if (batchSize < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, batchSize, "The batch size must be zero or more.");
        }
    }

    /// <summary>Throws when a class label is outside [0, classCount).</summary>
    /// <exception cref="ArgumentException">A label is negative or not below <paramref name="classCount"/>.</exception>
    public static void ThrowIfLabelOutOfRange(ReadOnlySpan<int> labels, int classCount, string parameterName)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException(
                    $"Label {labels[i]} at index {i} is outside [0, {classCount}): the output layer has {classCount} units.",
                    parameterName);
            }
        }
    }
}
