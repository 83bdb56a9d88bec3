using System;

namespace Layerwise.Tests.Networks;

/// <summary>Seeded random inputs and targets shaped for a network's loss.</summary>
internal static class TestData
{
    public static float[] Inputs(INetwork<float> network, int batch, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[batch * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)(random.NextDouble() * 4 - 2);
        }

        return inputs;
    }

    /// <summary>
    /// Targets the loss accepts: soft probability rows for cross-entropy (which also exercise the
    /// general formula), values in [0, 1] for binary cross-entropy, and unbounded values for regression.
    /// </summary>
    public static float[] Targets(INetwork<float> network, int batch, int seed)
    {
        var random = new Random(seed + 1000);
        int outputs = network.OutputSize;
        var targets = new float[batch * outputs];
        for (int s = 0; s < batch; s++)
        {
            Span<float> row = targets.AsSpan(s * outputs, outputs);
            switch (network.Loss)
            {
                case Loss.CrossEntropy:
                    float sum = 0;
                    for (int k = 0; k < outputs; k++)
                    {
                        row[k] = (float)random.NextDouble() + 0.05f;
                        sum += row[k];
                    }

                    for (int k = 0; k < outputs; k++)
                    {
                        row[k] /= sum;
                    }

                    break;
                case Loss.BinaryCrossEntropy:
                    for (int k = 0; k < outputs; k++)
                    {
                        row[k] = (float)random.NextDouble();
                    }

                    break;
                default:
                    for (int k = 0; k < outputs; k++)
                    {
                        row[k] = (float)(random.NextDouble() * 2 - 1);
                    }

                    break;
            }
        }

        return targets;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
