using System;
using System.Collections.Generic;
using Layerwise.Kernels;
using Xunit;

namespace Layerwise.Tests.Kernels;

/// <summary>Every activation kernel against a float64 reference, for every length from 0 past two 512-bit vectors.</summary>
public class ActivationKernelTests
{
    private const double Tolerance = 2e-6;

    public static IEnumerable<object[]> Lengths()
    {
        for (int length = 0; length <= 40; length++)
        {
            yield return new object[] { length };
        }

        yield return new object[] { 67 };
        yield return new object[] { 256 };
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Elementwise_MatchReference(int length)
    {
        float[] x = RandomValues(length, seed: length);
        CheckUnary(ActivationKernels.ReLU, value => Math.Max(0, value), x);
        CheckUnary(ActivationKernels.Sigmoid, value => 1 / (1 + Math.Exp(-value)), x);
        CheckUnary(ActivationKernels.Tanh, Math.Tanh, x);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Backward_MatchReference(int length)
    {
        float[] a = RandomValues(length, seed: length);
        float[] g = RandomValues(length, seed: length + 100);
        CheckBinary(ActivationKernels.ReLUBackward, (av, gv) => av > 0 ? gv : 0, a, g);
        CheckBinary(ActivationKernels.SigmoidBackward, (av, gv) => gv * av * (1 - av), a, g);
        CheckBinary(ActivationKernels.TanhBackward, (av, gv) => gv * (1 - av * av), a, g);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Softmax_MatchReference(int length)
    {
        float[] x = RandomValues(length, seed: length);
        var y = new float[length];
        ActivationKernels.Softmax(x, y);

        double max = double.NegativeInfinity;
        foreach (float value in x)
        {
            max = Math.Max(max, value);
        }

        double sum = 0;
        foreach (float value in x)
        {
            sum += Math.Exp(value - max);
        }

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(Math.Exp(x[i] - max) / sum, y[i], Tolerance);
        }
    }

    [Fact]
    public void Softmax_LargeLogitsStayFinite()
    {
        float[] x = { 1000f, 999f, -1000f };
        var y = new float[3];

        ActivationKernels.Softmax(x, y);

        Assert.Equal(1 / (1 + Math.Exp(-1)), y[0], Tolerance);
        Assert.Equal(0f, y[2]);
    }

    [Fact]
    public void Softmax_InPlace()
    {
        float[] x = { 1f, 2f, 3f };
        var expected = new float[3];
        ActivationKernels.Softmax(x, expected);

        ActivationKernels.Softmax(x, x);

        Assert.Equal(expected, x);
    }

    [Fact]
    public void SoftmaxBackward_MatchesJacobian()
    {
        float[] a = { 0.2f, 0.5f, 0.3f };
        float[] g = { 1f, -2f, 0.5f };
        var result = new float[3];

        ActivationKernels.SoftmaxBackward(a, g, result);

        for (int i = 0; i < 3; i++)
        {
            double expected = 0;
            for (int j = 0; j < 3; j++)
            {
                double jacobian = (i == j ? a[i] : 0) - a[i] * a[j];
                expected += jacobian * g[j];
            }

            Assert.Equal(expected, result[i], Tolerance);
        }
    }

    [Fact]
    public void NaN_Propagates()
    {
        float[] x = { float.NaN, 1f };
        var y = new float[2];

        ActivationKernels.Tanh(x, y);
        Assert.True(float.IsNaN(y[0]));
        ActivationKernels.Sigmoid(x, y);
        Assert.True(float.IsNaN(y[0]));
        ActivationKernels.Softmax(x, y);
        Assert.True(float.IsNaN(y[1]));
    }

    /// <summary>NaN stays NaN, −0 becomes +0 and infinities clamp, in the 256-bit, 128-bit and scalar parts of a span.</summary>
    [Fact]
    public void ReLU_SpecialValues()
    {
        foreach (int position in new[] { 0, 7, 9, 33, 34, 36 })
        {
            var x = new float[37];
            Array.Fill(x, -2f);
            x[position] = float.NaN;
            x[(position + 1) % 37] = -0f;
            x[(position + 2) % 37] = float.PositiveInfinity;
            x[(position + 3) % 37] = float.NegativeInfinity;
            var y = new float[37];

            ActivationKernels.ReLU<float>(x, y);

            Assert.True(float.IsNaN(y[position]), $"NaN at {position}");
            Assert.Equal(0f, y[(position + 1) % 37]);
            Assert.False(float.IsNegative(y[(position + 1) % 37]), $"−0 at {position + 1} gives +0");
            Assert.Equal(float.PositiveInfinity, y[(position + 2) % 37]);
            Assert.Equal(0f, y[(position + 3) % 37]);
            Assert.Equal(0f, y[(position + 4) % 37]);
        }

        double[] doubles = [double.NaN, -1, 2, -0.0, 3];
        ActivationKernels.ReLU<double>(doubles, doubles);
        Assert.True(double.IsNaN(doubles[0]));
        Assert.Equal([0, 2, 0, 3], doubles[1..]);
        Assert.False(double.IsNegative(doubles[3]));
    }

    [Fact]
    public void ShortDestination_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationKernels.ReLU(new float[5], new float[4]));

        Assert.Equal("destination", error.ParamName);
    }

    [Fact]
    public void BackwardShortGradient_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationKernels.TanhBackward(new float[5], new float[4], new float[5]));

        Assert.Equal("gradient", error.ParamName);
    }

    private static void CheckUnary(UnaryKernel kernel, Func<double, double> reference, float[] x)
    {
        var y = new float[x.Length];
        kernel(x, y);
        float[] inPlace = (float[])x.Clone();
        kernel(inPlace, inPlace);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(reference(x[i]), y[i], Tolerance);
            Assert.Equal(y[i], inPlace[i]);
        }
    }

    private static void CheckBinary(BinaryKernel kernel, Func<double, double, double> reference, float[] a, float[] g)
    {
        var y = new float[a.Length];
        kernel(a, g, y);
        float[] inPlace = (float[])g.Clone();
        kernel(a, inPlace, inPlace);
        for (int i = 0; i < a.Length; i++)
        {
            double expected = reference(a[i], g[i]);
            Assert.Equal(expected, y[i], Tolerance * Math.Max(1, Math.Abs(expected)));
            Assert.Equal(y[i], inPlace[i]);
        }
    }

    private static float[] RandomValues(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 6 - 3);
        }

        return values;
    }

    private delegate void UnaryKernel(ReadOnlySpan<float> x, Span<float> destination);

    private delegate void BinaryKernel(ReadOnlySpan<float> a, ReadOnlySpan<float> g, Span<float> destination);
}
