using System;
using System.Numerics.Tensors;

namespace Layerwise.Benchmarks;

/// <summary>
/// The baseline: a multilayer perceptron as a competent C# user writes it without a framework: one weight array
/// per layer, a TensorPrimitives.Dot per neuron, and a backward pass over the same arrays. Hidden layers use
/// <paramref name="hiddenTanh"/> ? tanh : ReLU, and the output is softmax with cross-entropy. Its gradients are
/// checked against Layerwise's in a test, so the comparison is between two correct implementations.
/// </summary>
public sealed class HandWrittenMlp
{
    private readonly int[] _sizes;
    private readonly bool _tanh;
    private readonly float[][] _weights;
    private readonly float[][] _biases;
    private readonly float[][] _activations;
    private readonly float[][] _deltas;

    /// <param name="sizes">Layer widths from the input to the output.</param>
    /// <param name="hiddenTanh">Tanh in the hidden layers when true, ReLU otherwise.</param>
    public HandWrittenMlp(int[] sizes, bool hiddenTanh)
    {
        _sizes = sizes;
        _tanh = hiddenTanh;
        int layers = sizes.Length - 1;
        _weights = new float[layers][];
        _biases = new float[layers][];
        _activations = new float[sizes.Length][];
        _deltas = new float[sizes.Length][];
        for (int l = 0; l < layers; l++)
        {
            _weights[l] = new float[sizes[l + 1] * sizes[l]];
            _biases[l] = new float[sizes[l + 1]];
        }

        for (int l = 0; l < sizes.Length; l++)
        {
            _activations[l] = new float[sizes[l]];
            _deltas[l] = new float[sizes[l]];
        }
    }

    private float[]? _firstMoment;
    private float[]? _secondMoment;
    private int _step;

    /// <summary>One Adam step (PyTorch's defaults) over the flat parameters, written as a plain loop.</summary>
    public void AdamStep(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        _firstMoment ??= new float[parameters.Length];
        _secondMoment ??= new float[parameters.Length];
        _step++;
        float correction1 = 1 - MathF.Pow(0.9f, _step);
        float correction2 = 1 - MathF.Pow(0.999f, _step);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            _firstMoment[i] = 0.9f * _firstMoment[i] + 0.1f * g;
            _secondMoment[i] = 0.999f * _secondMoment[i] + 0.001f * g * g;
            parameters[i] -= learningRate * (_firstMoment[i] / correction1) / (MathF.Sqrt(_secondMoment[i] / correction2) + 1e-8f);
        }

        LoadParameters(parameters);
    }

    /// <summary>Copies parameters laid out as Layerwise's (per layer: weight [out, in], then bias).</summary>
    public void LoadParameters(ReadOnlySpan<float> parameters)
    {
        int offset = 0;
        for (int l = 0; l < _weights.Length; l++)
        {
            parameters.Slice(offset, _weights[l].Length).CopyTo(_weights[l]);
            offset += _weights[l].Length;
            parameters.Slice(offset, _biases[l].Length).CopyTo(_biases[l]);
            offset += _biases[l].Length;
        }
    }

    /// <summary>Computes the softmax probabilities of <paramref name="batch"/> samples, one after another.</summary>
    public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batch)
    {
        int inputSize = _sizes[0];
        int outputSize = _sizes[^1];
        for (int s = 0; s < batch; s++)
        {
            Forward(inputs.Slice(s * inputSize, inputSize), outputs.Slice(s * outputSize, outputSize));
        }
    }

    /// <summary>Computes the softmax probabilities of one sample.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        input.CopyTo(_activations[0]);
        int layers = _weights.Length;
        for (int l = 0; l < layers; l++)
        {
            float[] x = _activations[l];
            float[] y = _activations[l + 1];
            int inputs = _sizes[l];
            for (int j = 0; j < y.Length; j++)
            {
                y[j] = _biases[l][j] + TensorPrimitives.Dot(_weights[l].AsSpan(j * inputs, inputs), x);
            }

            if (l < layers - 1)
            {
                if (_tanh)
                {
                    TensorPrimitives.Tanh(y, y);
                }
                else
                {
                    TensorPrimitives.Max(y, 0f, y);
                }
            }
            else
            {
                TensorPrimitives.SoftMax(y, y);
            }
        }

        _activations[layers].CopyTo(output);
    }

    /// <summary>
    /// Accumulates the gradient of the mean cross-entropy of a batch of class labels into <paramref name="gradients"/>
    /// (Layerwise's layout, overwritten) and returns the mean loss.
    /// </summary>
    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Span<float> gradients)
    {
        gradients.Clear();
        int batch = labels.Length;
        int layers = _weights.Length;
        float loss = 0;
        Span<float> probabilities = stackalloc float[_sizes[layers]];
        for (int s = 0; s < batch; s++)
        {
            Forward(inputs.Slice(s * _sizes[0], _sizes[0]), probabilities);
            loss -= MathF.Log(Math.Max(probabilities[labels[s]], 1e-30f));
            float[] delta = _deltas[layers];
            probabilities.CopyTo(delta);
            delta[labels[s]] -= 1;
            TensorPrimitives.Multiply(delta, 1f / batch, delta);
            int offset = gradients.Length;
            for (int l = layers - 1; l >= 0; l--)
            {
                int inputsCount = _sizes[l];
                int outputs = _sizes[l + 1];
                offset -= outputs + outputs * inputsCount;
                Span<float> weightGradient = gradients.Slice(offset, outputs * inputsCount);
                Span<float> biasGradient = gradients.Slice(offset + outputs * inputsCount, outputs);
                float[] x = _activations[l];
                float[] d = _deltas[l + 1];
                TensorPrimitives.Add(biasGradient, d, biasGradient);
                float[] previous = _deltas[l];
                Array.Clear(previous);
                for (int j = 0; j < outputs; j++)
                {
                    Span<float> row = weightGradient.Slice(j * inputsCount, inputsCount);
                    TensorPrimitives.MultiplyAdd(x, d[j], row, row);
                    if (l > 0)
                    {
                        TensorPrimitives.MultiplyAdd(_weights[l].AsSpan(j * inputsCount, inputsCount), d[j], previous, previous);
                    }
                }

                if (l > 0)
                {
                    for (int i = 0; i < inputsCount; i++)
                    {
                        float a = x[i];
                        previous[i] *= _tanh ? 1 - a * a : (a > 0 ? 1 : 0);
                    }
                }
            }
        }

        return loss / batch;
    }
}
