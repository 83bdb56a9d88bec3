using System;
using Layerwise.Benchmarks;
using Xunit;

namespace Layerwise.Tests.Generated;

/// <summary>The benchmark's hand-written baseline computes the same gradients as the generated code, so the comparison is fair.</summary>
public class BaselineTests
{
    [Fact]
    public void HandWrittenGradients_MatchGeneratedA()
    {
        var network = new NetworkA(seed: 3);
        var baseline = new HandWrittenMlp([4, 16, 16, 3], hiddenTanh: true);
        baseline.LoadParameters(network.Parameters);
        float[] inputs = InferenceBenchmarksInputs(8 * 4);
        int[] labels = [0, 1, 2, 0, 1, 2, 2, 1];
        var expected = new float[NetworkA.ParameterCount];
        var actual = new float[NetworkA.ParameterCount];

        float expectedLoss = network.ComputeGradients(inputs, labels, expected);
        float actualLoss = baseline.ComputeGradients(inputs, labels, actual);

        Assert.Equal(expectedLoss, actualLoss, 1e-5f);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"parameter {i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void HandWrittenGradients_MatchGeneratedC()
    {
        var network = new NetworkC(seed: 3);
        var baseline = new HandWrittenMlp([784, 256, 128, 10], hiddenTanh: false);
        baseline.LoadParameters(network.Parameters);
        float[] inputs = InferenceBenchmarksInputs(4 * 784);
        int[] labels = [3, 7, 0, 9];
        var expected = new float[NetworkC.ParameterCount];
        var actual = new float[NetworkC.ParameterCount];

        network.ComputeGradients(inputs, labels, expected);
        baseline.ComputeGradients(inputs, labels, actual);

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-3 * Math.Abs(expected[i]), $"parameter {i}: {actual[i]} vs {expected[i]}");
        }
    }

    private static float[] InferenceBenchmarksInputs(int count)
    {
        var random = new Random(5);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }
}
