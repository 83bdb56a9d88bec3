using System;
using System.Linq;
using Layerwise.Kernels;
using Xunit;

namespace Layerwise.Tests.Kernels;

/// <summary>The batched dense kernels against a float64 reference, over odd and vector-sized shapes.</summary>
public class DenseBatchKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 2)]
    [InlineData(4, 4, 4)]
    [InlineData(17, 33, 7)]
    [InlineData(784, 10, 5)]
    [InlineData(64, 128, 32)]
    [InlineData(9, 3, 1)]
    public void Forward_MatchesReference(int inputs, int outputs, int batch)
    {
        var random = new Random(inputs * 1000 + outputs * 10 + batch);
        float[] w = Values(random, inputs * outputs);
        float[] b = Values(random, outputs);
        float[] x = Values(random, batch * inputs);
        var y = new float[batch * outputs];
        var noBias = new float[batch * outputs];

        DenseBatchKernels.Forward<float>(w, b, x, y, inputs, outputs);
        DenseBatchKernels.Forward<float>(w, default, x, noBias, inputs, outputs);

        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double expected = 0;
                for (int i = 0; i < inputs; i++)
                {
                    expected += (double)w[j * inputs + i] * x[s * inputs + i];
                }

                Assert.Equal(expected + b[j], y[s * outputs + j], 1e-4);
                Assert.Equal(expected, noBias[s * outputs + j], 1e-4);
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 2)]
    [InlineData(17, 33, 7)]
    [InlineData(40, 9, 13)]
    [InlineData(64, 10, 4)]
    [InlineData(33, 14, 300)]
    [InlineData(20, 257, 263)]
    public void Backward_MatchesReference(int inputs, int outputs, int batch)
    {
        var random = new Random(inputs + outputs * 7 + batch * 31);
        double[] w = ValuesDouble(random, inputs * outputs);
        double[] x = ValuesDouble(random, batch * inputs);
        double[] g = ValuesDouble(random, batch * outputs);
        double[] weightGradient = ValuesDouble(random, inputs * outputs);
        double[] biasGradient = ValuesDouble(random, outputs);
        double[] weightBefore = (double[])weightGradient.Clone();
        double[] biasBefore = (double[])biasGradient.Clone();
        var inputGradient = new double[batch * inputs];

        DenseBatchKernels.Backward<double>(w, x, g, weightGradient, biasGradient, inputGradient, inputs, outputs);

        for (int j = 0; j < outputs; j++)
        {
            double bias = biasBefore[j];
            for (int s = 0; s < batch; s++)
            {
                bias += g[s * outputs + j];
            }

            Assert.Equal(bias, biasGradient[j], 1e-12);
            for (int i = 0; i < inputs; i++)
            {
                double expected = weightBefore[j * inputs + i];
                for (int s = 0; s < batch; s++)
                {
                    expected += g[s * outputs + j] * x[s * inputs + i];
                }

                Assert.Equal(expected, weightGradient[j * inputs + i], 1e-12);
            }
        }

        for (int s = 0; s < batch; s++)
        {
            for (int i = 0; i < inputs; i++)
            {
                double expected = 0;
                for (int j = 0; j < outputs; j++)
                {
                    expected += g[s * outputs + j] * w[j * inputs + i];
                }

                Assert.Equal(expected, inputGradient[s * inputs + i], 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(17, 33, 7)]
    [InlineData(33, 14, 300)]
    [InlineData(20, 257, 263)]
    public void Backward_OverwriteEqualsAccumulateIntoZeros(int inputs, int outputs, int batch)
    {
        // Every register width, and spans holding NaN where the overwriting call must not read.
        foreach (VectorWidth width in new[] { VectorWidth.Bits512, VectorWidth.Bits256, VectorWidth.Bits128, VectorWidth.Scalar })
        {
            var random = new Random(inputs + outputs + batch);
            float[] w = MatrixProductTests.Values(random, inputs * outputs);
            float[] x = MatrixProductTests.Values(random, batch * inputs);
            float[] g = MatrixProductTests.Values(random, batch * outputs);
            var accumulatedWeights = new float[inputs * outputs];
            var accumulatedBias = new float[outputs];
            var accumulatedInput = new float[batch * inputs];
            float[] weights = Enumerable.Repeat(float.NaN, inputs * outputs).ToArray();
            float[] bias = Enumerable.Repeat(float.NaN, outputs).ToArray();
            float[] input = Enumerable.Repeat(float.NaN, batch * inputs).ToArray();

            using (MatrixProducts.ForceWidth(width))
            {
                DenseBatchKernels.Backward<float>(w, x, g, accumulatedWeights, accumulatedBias, accumulatedInput, inputs, outputs, accumulate: true);
                DenseBatchKernels.Backward<float>(w, x, g, weights, bias, input, inputs, outputs, accumulate: false);
            }

            Assert.Equal(accumulatedWeights, weights);
            Assert.Equal(accumulatedBias, bias);
            Assert.Equal(accumulatedInput, input);
        }
    }

    [Fact]
    public void Forward_NaNPropagates()
    {
        float[] w = { 1, 2, 3, 4, 5, 6 };
        float[] x = { 1, float.NaN, 1, 1, 1, 1 };
        var y = new float[4];

        DenseBatchKernels.Forward<float>(w, default, x, y, 3, 2);

        Assert.True(float.IsNaN(y[0]));
        Assert.True(float.IsNaN(y[1]));
        Assert.False(float.IsNaN(y[2]));
    }

    [Fact]
    public void Forward_RejectsRaggedInput()
    {
        var error = Assert.Throws<ArgumentException>(() => DenseBatchKernels.Forward<float>(new float[6], default, new float[5], new float[4], 3, 2));

        Assert.Equal("input", error.ParamName);
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

    private static double[] ValuesDouble(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.NextDouble() * 2 - 1;
        }

        return values;
    }
}
