using System;
using Layerwise.Kernels;
using Xunit;

namespace Layerwise.Tests.Kernels;

public class DenseKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(17, 9)]
    [InlineData(64, 33)]
    public void Forward_MatchesNaiveProduct(int inputs, int outputs)
    {
        var random = new Random(inputs * 100 + outputs);
        float[] w = Values(random, inputs * outputs);
        float[] b = Values(random, outputs);
        float[] x = Values(random, inputs);
        var y = new float[outputs];

        DenseKernels.Forward(w, b, x, y, inputs, outputs);

        for (int j = 0; j < outputs; j++)
        {
            double expected = b[j];
            for (int i = 0; i < inputs; i++)
            {
                expected += (double)w[j * inputs + i] * x[i];
            }

            Assert.Equal(expected, y[j], 1e-4);
        }
    }

    /// <summary>
    /// Every row length up to past four 256-bit vectors and every count of outputs in a last group of eight, with and
    /// without bias, against a float64 reference. Outputs past the layer stay untouched.
    /// </summary>
    [Fact]
    public void Forward_EveryShape_MatchesReference()
    {
        for (int inputs = 1; inputs <= 37; inputs++)
        {
            foreach (int outputs in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25 })
            {
                foreach (bool withBias in new[] { true, false })
                {
                    var random = new Random(inputs * 1000 + outputs * 2 + (withBias ? 1 : 0));
                    float[] w = Values(random, inputs * outputs);
                    float[] b = withBias ? Values(random, outputs) : [];
                    float[] x = Values(random, inputs);
                    var y = new float[outputs + 1];
                    y[outputs] = 42f;

                    DenseKernels.Forward<float>(w, b, x, y.AsSpan(0, outputs), inputs, outputs);

                    for (int j = 0; j < outputs; j++)
                    {
                        double expected = withBias ? b[j] : 0;
                        double magnitude = Math.Abs(expected);
                        for (int i = 0; i < inputs; i++)
                        {
                            double term = (double)w[j * inputs + i] * x[i];
                            expected += term;
                            magnitude += Math.Abs(term);
                        }

                        Assert.True(
                            Math.Abs(expected - y[j]) <= (1e-6 * magnitude) + 1e-7,
                            $"inputs {inputs}, outputs {outputs}, bias {withBias}, output {j}: expected {expected}, got {y[j]}");
                    }

                    Assert.Equal(42f, y[outputs]);
                }
            }
        }
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(33, 11)]
    public void Forward_PropagatesNaNAndInfinity(int inputs, int outputs)
    {
        float[] w = Values(new Random(inputs), inputs * outputs);
        float[] x = Values(new Random(outputs), inputs);
        x[inputs - 1] = float.NaN;
        var y = new float[outputs];
        DenseKernels.Forward<float>(w, default, x, y, inputs, outputs);
        Assert.All(y, value => Assert.True(float.IsNaN(value)));

        w[inputs - 1] = float.PositiveInfinity;
        x[inputs - 1] = 1;
        DenseKernels.Forward<float>(w, default, x, y, inputs, outputs);
        Assert.Equal(float.PositiveInfinity, y[0]);
        Assert.True(float.IsFinite(y[outputs - 1]), "the other rows stay finite");
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(40, 7)]
    public void Backward_AccumulatesOuterProductAndTransposedProduct(int inputs, int outputs)
    {
        var random = new Random(inputs + outputs);
        float[] w = Values(random, inputs * outputs);
        float[] x = Values(random, inputs);
        float[] g = Values(random, outputs);
        float[] weightGradient = Values(random, inputs * outputs);
        float[] biasGradient = Values(random, outputs);
        float[] weightBefore = (float[])weightGradient.Clone();
        float[] biasBefore = (float[])biasGradient.Clone();
        var inputGradient = new float[inputs];

        DenseKernels.Backward(w, x, g, weightGradient, biasGradient, inputGradient, inputs, outputs);

        for (int j = 0; j < outputs; j++)
        {
            Assert.Equal(biasBefore[j] + g[j], biasGradient[j], 1e-5);
            for (int i = 0; i < inputs; i++)
            {
                Assert.Equal(weightBefore[j * inputs + i] + g[j] * x[i], weightGradient[j * inputs + i], 1e-5);
            }
        }

        for (int i = 0; i < inputs; i++)
        {
            double expected = 0;
            for (int j = 0; j < outputs; j++)
            {
                expected += (double)w[j * inputs + i] * g[j];
            }

            Assert.Equal(expected, inputGradient[i], 1e-4);
        }
    }

    [Fact]
    public void Forward_WrongWeightLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(
            () => DenseKernels.Forward(new float[5], new float[2], new float[3], new float[2], 3, 2));

        Assert.Equal("weights", error.ParamName);
        Assert.Contains("Expected a span of 6 elements but got 5.", error.Message);
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
