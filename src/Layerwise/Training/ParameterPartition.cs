using System;
using System.Collections.Generic;
using Layerwise.Kernels;

namespace Layerwise.Training;

/// <summary>
/// The split of one parameter buffer's update between threads. Each thread takes the rows of every dense weight
/// whose gradient rows the backward product wrote on that thread, so the update reads them from its own core's cache.
/// Biases and the parameters of other layers go to the calling thread, which computed their gradients.
/// </summary>
/// <remarks>
/// Halves of the flat buffer cut the first layer's weight of a 784-256-128-10 network at row 150, but its
/// weight-gradient product splits at row 126. The worker also got all of the second layer. So 24 rows of one gradient
/// and half of the other crossed between the cores at every step. In one process alternating both splits on
/// two threads, following the rows took the update from 92 to 81 µs (medians). In a state of the virtual machine where
/// memory-bound work ran several times slower, the 90th percentile of the update went from 328 to 207 µs and that of
/// the whole step from 2,253 to 2,127 µs.
/// </remarks>
internal sealed class ParameterPartition
{
    private readonly (int Offset, int Rows, int RowLength)[] _weights;
    private readonly int _count;
    private readonly (int Start, int End)[] _whole;
    private int _parts;
    private (int Start, int End)[][] _ranges = [];

    private ParameterPartition((int Offset, int Rows, int RowLength)[] weights, int count)
    {
        _weights = weights;
        _count = count;
        _whole = [(0, count)];
    }

    /// <summary>The number of parameters in the buffer.</summary>
    public int Count => _count;

    /// <summary>
    /// Describes a buffer of <paramref name="count"/> parameters laid out as <paramref name="layers"/> list them.
    /// Dense weights that do not fit inside the buffer are rejected.
    /// </summary>
    /// <exception cref="ArgumentException">A dense layer's weight lies outside the buffer or overlaps another.</exception>
    public static ParameterPartition FromLayers(IReadOnlyList<LayerDescription> layers, int count)
    {
        var weights = new List<(int Offset, int Rows, int RowLength)>();
        long end = 0;
        foreach (LayerDescription layer in layers)
        {
            if (layer.Kind != LayerKind.Dense)
            {
                continue;
            }

            long size = (long)layer.OutputSize * layer.InputSize;
            if (layer.InputSize <= 0 || layer.OutputSize <= 0 || layer.ParameterOffset < end || layer.ParameterOffset + size > count)
            {
                throw new ArgumentException(
                    $"The dense layer at parameter {layer.ParameterOffset} with a {layer.OutputSize}x{layer.InputSize} weight does not fit in order in a buffer of {count} parameters.",
                    nameof(layers));
            }

            weights.Add((layer.ParameterOffset, layer.OutputSize, layer.InputSize));
            end = layer.ParameterOffset + size;
        }

        return new ParameterPartition(weights.ToArray(), count);
    }

    /// <summary>
    /// Computes the ranges of <paramref name="parts"/> parts, unless they are those of the last call. Call it on the
    /// thread that then runs the parts, before it starts them.
    /// </summary>
    public void Prepare(int parts)
    {
        if (parts == _parts)
        {
            return;
        }

        var ranges = new List<(int Start, int End)>[parts];
        for (int part = 0; part < parts; part++)
        {
            ranges[part] = [];
        }

        int position = 0;
        foreach ((int offset, int rows, int rowLength) in _weights)
        {
            Add(ranges[0], position, offset);
            for (int part = 0; part < parts; part++)
            {
                // The rows that the weight-gradient product gives this part, cut at the same blocks of six rows.
                (int first, int last) = KernelThreads.PartRows(rows, part, parts, MatrixProducts.BroadcastRowBlock);
                Add(ranges[part], offset + (first * rowLength), offset + (last * rowLength));
            }

            position = offset + (rows * rowLength);
        }

        Add(ranges[0], position, _count);
        _ranges = Array.ConvertAll(ranges, list => list.ToArray());
        _parts = parts;
    }

    /// <summary>Returns the ranges [Start, End) of part <paramref name="part"/>, as <see cref="Prepare"/> computed them for <paramref name="parts"/> parts.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="parts"/> is neither 1 nor the count last prepared.</exception>
    public ReadOnlySpan<(int Start, int End)> Ranges(int part, int parts)
    {
        if (parts == _parts)
        {
            return _ranges[part];
        }

        if (parts == 1)
        {
            return _whole;
        }

        throw new InvalidOperationException($"The partition was prepared for {_parts} parts, not {parts}.");
    }

    private static void Add(List<(int Start, int End)> ranges, int start, int end)
    {
        if (end <= start)
        {
            return;
        }

        if (ranges.Count > 0 && ranges[^1].End == start)
        {
            ranges[^1] = (ranges[^1].Start, end);
            return;
        }

        ranges.Add((start, end));
    }
}
