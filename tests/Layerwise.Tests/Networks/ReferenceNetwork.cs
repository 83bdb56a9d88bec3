using System;
using System.Collections.Generic;

namespace Layerwise.Tests.Networks;

/// <summary>
/// An independent double-precision implementation of the forward pass and loss, driven by a network's
/// layer descriptions. Finite differences of its loss are the reference for the generated gradients.
/// </summary>
internal static class ReferenceNetwork
{
    public static double[] Forward(IReadOnlyList<LayerDescription> layers, ReadOnlySpan<double> parameters, ReadOnlySpan<double> input, out double[] logits)
    {
        double[] x = input.ToArray();
        logits = x;
        foreach (LayerDescription layer in layers)
        {
            ReadOnlySpan<double> p = parameters.Slice(layer.ParameterOffset, layer.ParameterCount);
            var y = new double[layer.OutputSize];
            if (layer.Kind == LayerKind.Dense)
            {
                for (int j = 0; j < layer.OutputSize; j++)
                {
                    double sum = p[layer.WeightCount + j];
                    for (int i = 0; i < layer.InputSize; i++)
                    {
                        sum += p[j * layer.InputSize + i] * x[i];
                    }

                    y[j] = sum;
                }

                logits = (double[])y.Clone();
                Activate(layer.Activation, y);
            }
            else
            {
                int n = layer.OutputSize;
                double mean = 0;
                foreach (double v in x)
                {
                    mean += v;
                }

                mean /= n;
                double variance = 0;
                foreach (double v in x)
                {
                    variance += (v - mean) * (v - mean);
                }

                variance /= n;
                double inverseStd = 1 / Math.Sqrt(variance + layer.Epsilon);
                for (int i = 0; i < n; i++)
                {
                    y[i] = (x[i] - mean) * inverseStd * p[i] + p[n + i];
                }

                logits = y;
            }

            x = y;
        }

        return x;
    }

    /// <summary>The mean loss of a batch with PyTorch's reductions, evaluated from logits where the loss is fused.</summary>
    public static double Loss(Loss loss, IReadOnlyList<LayerDescription> layers, ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets)
    {
        int inputSize = layers[0].InputSize;
        int outputSize = layers[^1].OutputSize;
        int batch = inputs.Length / inputSize;
        double total = 0;
        for (int s = 0; s < batch; s++)
        {
            double[] output = Forward(layers, parameters, inputs.Slice(s * inputSize, inputSize), out double[] logits);
            ReadOnlySpan<double> target = targets.Slice(s * outputSize, outputSize);
            for (int k = 0; k < outputSize; k++)
            {
                total += loss switch
                {
                    Layerwise.Loss.CrossEntropy => -target[k] * (logits[k] - LogSumExp(logits)),
                    Layerwise.Loss.BinaryCrossEntropy =>
                        Math.Max(logits[k], 0) - logits[k] * target[k] + Math.Log(1 + Math.Exp(-Math.Abs(logits[k]))),
                    _ => (output[k] - target[k]) * (output[k] - target[k]),
                };
            }
        }

        return loss == Layerwise.Loss.CrossEntropy ? total / batch : total / (batch * outputSize);
    }

    private static void Activate(Activation activation, double[] values)
    {
        switch (activation)
        {
            case Activation.ReLU:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = Math.Max(0, values[i]);
                }

                break;
            case Activation.Sigmoid:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = 1 / (1 + Math.Exp(-values[i]));
                }

                break;
            case Activation.Tanh:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = Math.Tanh(values[i]);
                }

                break;
            case Activation.Softmax:
                double lse = LogSumExp(values);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = Math.Exp(values[i] - lse);
                }

                break;
        }
    }

    private static double LogSumExp(double[] values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
