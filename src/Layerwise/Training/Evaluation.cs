using System;
using System.Numerics;
using Layerwise.Data;

namespace Layerwise.Training;

/// <summary>Loss and accuracy of a network on a data set, computed from inference outputs.</summary>
public static class Evaluation
{
    /// <summary>The lower bound on log(p) for probability losses, as PyTorch's <c>BCELoss</c> clamps it.</summary>
    private const double MinLog = -100;

    private const int ChunkSize = 256;

    /// <summary>
    /// Runs <paramref name="network"/> over <paramref name="data"/> and returns the mean loss (PyTorch's
    /// reduction for the network's loss) and the accuracy (NaN when the data has no labels).
    /// </summary>
    /// <remarks>
    /// The loss is computed from the outputs after the activation, so a cross-entropy whose probability
    /// underflows to 0 counts as 100 (the same clamp PyTorch's BCELoss uses) where the fused loss of
    /// training would give the exact value.
    /// </remarks>
    /// <exception cref="ArgumentException">The data's feature or target width does not match the network.</exception>
    public static (double Loss, double Accuracy) Evaluate<T>(INetwork<T> network, Dataset<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(network, data, nameof(data));
        var outputs = new T[ChunkSize * network.OutputSize];
        return Evaluate(network, data, outputs);
    }

    internal static void CheckShape<T>(INetwork<T> network, Dataset<T> data, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.FeatureCount != network.InputSize)
        {
            throw new ArgumentException(
                $"The data has {data.FeatureCount} features per sample, but the network takes {network.InputSize} inputs.", parameterName);
        }

        if (data.TargetCount != network.OutputSize)
        {
            throw new ArgumentException(
                $"The data has {data.TargetCount} targets per sample, but the network has {network.OutputSize} outputs.", parameterName);
        }
    }

    /// <summary>Evaluates with a caller-owned output buffer of at least one row, so repeated calls allocate nothing.</summary>
    internal static (double Loss, double Accuracy) Evaluate<T>(INetwork<T> network, Dataset<T> data, T[] outputBuffer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputSize = network.InputSize;
        int outputSize = network.OutputSize;
        int chunk = outputBuffer.Length / outputSize;
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < data.Count; start += chunk)
        {
            int count = Math.Min(chunk, data.Count - start);
            Span<T> outputs = outputBuffer.AsSpan(0, count * outputSize);
            network.Forward(data.Features.Slice(start * inputSize, count * inputSize), outputs, count);
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<T> output = outputs.Slice(i * outputSize, outputSize);
                lossSum += SampleLoss(network, output, data.GetTargets(start + i));
                if (data.HasLabels && PredictClass(output) == data.Labels[start + i])
                {
                    correct++;
                }
            }
        }

        double divisor = network.Loss == Loss.CrossEntropy ? data.Count : (double)data.Count * outputSize;
        double accuracy = data.HasLabels ? (double)correct / data.Count : double.NaN;
        return (lossSum / divisor, accuracy);
    }

    /// <summary>
    /// The predicted class of one output row: the index of the largest value, or for a single output unit
    /// 1 when the value is at least 0.5 and 0 otherwise.
    /// </summary>
    public static int PredictClass<T>(ReadOnlySpan<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (output.Length == 1)
        {
            return output[0] >= T.CreateChecked(0.5) ? 1 : 0;
        }

        int best = 0;
        for (int i = 1; i < output.Length; i++)
        {
            if (output[i] > output[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static double SampleLoss<T>(INetwork<T> network, ReadOnlySpan<T> output, ReadOnlySpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double delta = network.HuberDelta;
        double smoothing = network.LabelSmoothing;
        double sum = 0;
        for (int k = 0; k < output.Length; k++)
        {
            double p = double.CreateChecked(output[k]);
            double t = double.CreateChecked(target[k]);
            double d = p - t;
            sum += network.Loss switch
            {
                // Label smoothing mixes the target with the uniform distribution, as training does.
                Loss.CrossEntropy => CrossEntropyTerm(((1 - smoothing) * t) + (smoothing / output.Length), p),
                Loss.BinaryCrossEntropy => -(t * ClampedLog(p) + (1 - t) * ClampedLog(1 - p)),
                Loss.MeanAbsoluteError => Math.Abs(d),
                Loss.Huber => Math.Abs(d) <= delta ? 0.5 * d * d : delta * (Math.Abs(d) - 0.5 * delta),
                _ => d * d,
            };
        }

        return sum;
    }

    /// <summary>
    /// Returns −weight · log(p) with the log clamped. A zero weight (every class but the label of a one-hot row) adds
    /// zero without the logarithm, unless p is NaN, which the sum must keep.
    /// </summary>
    private static double CrossEntropyTerm(double weight, double p) =>
        weight == 0 && !double.IsNaN(p) ? 0 : -weight * ClampedLog(p);

    private static double ClampedLog(double p)
    {
        if (double.IsNaN(p))
        {
            return p;
        }

        return p > 0 ? Math.Max(Math.Log(p), MinLog) : MinLog;
    }
}
