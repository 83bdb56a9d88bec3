using System;
using System.Linq;
using Layerwise.Kernels;
using Xunit;

namespace Layerwise.Tests.Kernels;

/// <summary>The float paths of batch-1 inference: tanh and small softmax against float64, special values, and dot products.</summary>
public class SingleVectorKernelTests
{
    [Fact]
    public void Tanh_DenseSweep_WithinFewUlps()
    {
        // Every step of 1/4096 from −12 to 12 crosses the switch between the series and the exponential at ±0.5.
        const int count = 2 * 12 * 4096;
        var x = new float[count + 1];
        for (int i = 0; i <= count; i++)
        {
            x[i] = (i - (count / 2)) / 4096f;
        }

        var y = new float[x.Length];
        ActivationKernels.Tanh<float>(x, y);

        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Tanh(x[i]);
            double error = Math.Abs(y[i] - expected) / Math.Max(Math.Abs(expected), 1e-30);
            worst = Math.Max(worst, expected == 0 ? Math.Abs(y[i]) : error);
        }

        Assert.True(worst < 4e-7, $"largest relative error {worst:E2}");
    }

    [Fact]
    public void Tanh_TinyValues_KeepTheirRelativeAccuracy()
    {
        float[] x = [1e-30f, -1e-20f, 1e-8f, -3e-4f, 0.0123f, float.Epsilon];
        var y = new float[x.Length];
        ActivationKernels.Tanh<float>(x, y);

        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(Math.Tanh(x[i]), y[i], Math.Abs(x[i]) * 1e-6);
        }
    }

    [Fact]
    public void Tanh_SpecialValues()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 30f, -30f, 9.5f, float.MaxValue];
        var y = new float[x.Length];
        ActivationKernels.Tanh<float>(x, y);

        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(1f, y[1]);
        Assert.Equal(-1f, y[2]);
        Assert.Equal(0f, y[3]);
        Assert.Equal(0f, y[4]);
        Assert.Equal(1f, y[5]);
        Assert.Equal(-1f, y[6]);
        Assert.Equal((float)Math.Tanh(9.5), y[7]);
        Assert.Equal(1f, y[8]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void SmallSoftmax_ExtremeLogits(int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = -80f * i;
        }

        var y = new float[length];
        ActivationKernels.Softmax<float>(x, y);

        Assert.Equal(1f, y[0], 1e-6f);
        for (int i = 1; i < length; i++)
        {
            Assert.Equal(Math.Exp(-80.0 * i), y[i], 1e-30);
        }
    }

    [Fact]
    public void SmallSoftmax_LengthsOneToSeventeen()
    {
        // Lengths past eight fill a second vector, and 17 takes the scalar path.
        for (int length = 1; length <= 17; length++)
        {
            var random = new Random(length);
            var x = new float[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = (float)((random.NextDouble() - 0.5) * 40);
            }

            var y = new float[length];
            ActivationKernels.Softmax<float>(x, y);

            double largest = x.Max();
            double total = x.Sum(value => Math.Exp(value - largest));
            for (int i = 0; i < length; i++)
            {
                double expected = Math.Exp(x[i] - largest) / total;
                Assert.True(Math.Abs(expected - y[i]) <= (2e-6 * expected) + 1e-30, $"length {length}, class {i}: expected {expected}, got {y[i]}");
            }
        }
    }

    [Fact]
    public void LogSumExp_LengthsOneToSeventeen()
    {
        for (int length = 1; length <= 17; length++)
        {
            var random = new Random(100 + length);
            var x = new float[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = (float)((random.NextDouble() - 0.5) * 200);
            }

            double largest = x.Max();
            double expected = largest + Math.Log(x.Sum(value => Math.Exp(value - largest)));
            float actual = LossKernels.LogSumExp<float>(x);

            Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"length {length}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void LogSumExp_NaNAndInfinity()
    {
        float[] withNaN = [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, float.NaN, 0f];
        float[] withInfinity = [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, float.PositiveInfinity];
        float[] withNegativeInfinity = [1f, float.NegativeInfinity, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f];

        Assert.True(float.IsNaN(LossKernels.LogSumExp<float>(withNaN)));
        Assert.True(float.IsNaN(LossKernels.LogSumExp<float>(withInfinity)));
        Assert.Equal(LossKernels.LogSumExp<float>([1f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f]), LossKernels.LogSumExp<float>(withNegativeInfinity));
    }

    [Fact]
    public void SmallSoftmax_NaNAndInfinity()
    {
        var y = new float[3];
        ActivationKernels.Softmax<float>([1f, float.NaN, 2f], y);
        Assert.All(y, value => Assert.True(float.IsNaN(value)));

        ActivationKernels.Softmax<float>([float.NegativeInfinity, 0f, float.NegativeInfinity], y);
        Assert.Equal([0f, 1f, 0f], y);
    }

    [Fact]
    public void DenseForward_EveryRowLength_MatchesReference()
    {
        // Rows from 1 to past eight vectors, with 1 to 9 outputs so every remainder of the blocks of four rows runs.
        for (int inputs = 1; inputs <= 70; inputs++)
        {
            for (int outputs = 1; outputs <= 9; outputs++)
            {
                var random = new Random((inputs * 16) + outputs);
                float[] w = MatrixProductTests.Values(random, inputs * outputs);
                float[] b = MatrixProductTests.Values(random, outputs);
                float[] x = MatrixProductTests.Values(random, inputs);
                var y = new float[outputs];

                DenseKernels.Forward<float>(w, b, x, y, inputs, outputs);

                for (int j = 0; j < outputs; j++)
                {
                    double expected = b[j];
                    double magnitude = Math.Abs(b[j]);
                    for (int i = 0; i < inputs; i++)
                    {
                        expected += (double)w[(j * inputs) + i] * x[i];
                        magnitude += Math.Abs((double)w[(j * inputs) + i] * x[i]);
                    }

                    Assert.True(Math.Abs(expected - y[j]) <= (1e-6 * magnitude) + 1e-7, $"inputs {inputs}, outputs {outputs}, row {j}");
                }
            }
        }
    }
}
