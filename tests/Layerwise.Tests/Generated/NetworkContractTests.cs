using System;
using System.Linq;
using System.Threading.Tasks;
using Layerwise.Tests.Networks;
using Xunit;

namespace Layerwise.Tests.Generated;

/// <summary>The members every generated network has: constants, layout, validation, determinism and purity.</summary>
public class NetworkContractTests
{
    [Fact]
    public void Constants_DescribeDeclaration()
    {
        Assert.Equal(12, ClassifierNet.InputSize);
        Assert.Equal(4, ClassifierNet.OutputSize);
        Assert.Equal((12 * 16 + 16) + (2 * 16) + (16 * 9 + 9) + (9 * 4 + 4), ClassifierNet.ParameterCount);
        Assert.Equal(ClassifierNet.ParameterCount, new ClassifierNet(1).Parameters.Length);
    }

    [Fact]
    public void Layers_FollowPyTorchStateDictOrder()
    {
        INetwork<float> net = new ClassifierNet(1);
        LayerDescription[] layers = net.Layers.ToArray();

        Assert.Equal(
            new[] { LayerKind.Dense, LayerKind.LayerNorm, LayerKind.Dense, LayerKind.Dense },
            layers.Select(layer => layer.Kind).ToArray());
        Assert.Equal(new[] { 0, 208, 240, 393 }, layers.Select(layer => layer.ParameterOffset).ToArray());
        Assert.Equal(1e-5, layers[1].Epsilon);
        Assert.Equal(Activation.Softmax, layers[3].Activation);
        Assert.Equal(net.ParameterCount, layers[^1].ParameterOffset + layers[^1].ParameterCount);
    }

    [Fact]
    public void Constructor_SameSeedSameBits()
    {
        float[] first = new ClassifierNet(seed: 42).Parameters.ToArray();
        float[] second = new ClassifierNet(seed: 42).Parameters.ToArray();
        float[] other = new ClassifierNet(seed: 43).Parameters.ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Constructor_HeNormalBeforeReLU()
    {
        var net = new WideNet(seed: 5);
        ReadOnlySpan<float> weights = net.Parameters.Slice(0, 64 * 8192);
        double mean = 0;
        foreach (float w in weights)
        {
            mean += w;
        }

        mean /= weights.Length;
        double variance = 0;
        foreach (float w in weights)
        {
            variance += (w - mean) * (w - mean);
        }

        double std = Math.Sqrt(variance / weights.Length);
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std, Math.Sqrt(2.0 / 64) * 0.99, Math.Sqrt(2.0 / 64) * 1.01);
    }

    [Fact]
    public void Constructor_GlorotUniformOtherwise()
    {
        var net = new WideNet(seed: 5);
        ReadOnlySpan<float> weights = net.Parameters.Slice(64 * 8192 + 8192, 8192 * 10);
        double limit = Math.Sqrt(6.0 / (8192 + 10));
        float min = float.MaxValue;
        float max = float.MinValue;
        foreach (float w in weights)
        {
            min = Math.Min(min, w);
            max = Math.Max(max, w);
        }

        Assert.InRange(max, limit * 0.99, limit);
        Assert.InRange(min, -limit, -limit * 0.99);
    }

    [Fact]
    public void Constructor_BiasesZeroGainsOne()
    {
        INetwork<float> net = new ClassifierNet(seed: 5);
        foreach (LayerDescription layer in net.Layers)
        {
            ReadOnlySpan<float> parameters = net.Parameters.Slice(layer.ParameterOffset, layer.ParameterCount);
            if (layer.Kind == LayerKind.Dense)
            {
                Assert.All(parameters.Slice(layer.WeightCount).ToArray(), value => Assert.Equal(0f, value));
            }
            else
            {
                Assert.All(parameters.Slice(0, layer.OutputSize).ToArray(), value => Assert.Equal(1f, value));
                Assert.All(parameters.Slice(layer.OutputSize).ToArray(), value => Assert.Equal(0f, value));
            }
        }
    }

    [Fact]
    public void ComputeGradients_ChangesNoParameter()
    {
        var net = new ClassifierNet(seed: 2);
        float[] before = net.Parameters.ToArray();
        float[] inputs = TestData.Inputs(net, 5, seed: 1);
        float[] targets = TestData.Targets(net, 5, seed: 1);

        net.ComputeGradients(inputs, targets, new float[ClassifierNet.ParameterCount]);

        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void ComputeGradients_OverwritesGradients()
    {
        var net = new ClassifierNet(seed: 2);
        float[] inputs = TestData.Inputs(net, 5, seed: 1);
        float[] targets = TestData.Targets(net, 5, seed: 1);
        var clean = new float[ClassifierNet.ParameterCount];
        float[] dirty = Enumerable.Repeat(123f, ClassifierNet.ParameterCount).ToArray();

        net.ComputeGradients(inputs, targets, clean);
        net.ComputeGradients(inputs, targets, dirty);

        Assert.Equal(clean, dirty);
    }

    [Fact]
    public void ComputeGradients_LabelsEqualOneHot()
    {
        var net = new ClassifierNet(seed: 2);
        float[] inputs = TestData.Inputs(net, 6, seed: 1);
        int[] labels = { 0, 3, 2, 1, 3, 0 };
        var oneHot = new float[labels.Length * ClassifierNet.OutputSize];
        for (int i = 0; i < labels.Length; i++)
        {
            oneHot[i * ClassifierNet.OutputSize + labels[i]] = 1;
        }

        var fromLabels = new float[ClassifierNet.ParameterCount];
        var fromOneHot = new float[ClassifierNet.ParameterCount];
        float labelLoss = net.ComputeGradients(inputs, labels, fromLabels);
        float oneHotLoss = net.ComputeGradients(inputs, oneHot, fromOneHot);

        Assert.Equal(oneHotLoss, labelLoss, 6);
        for (int i = 0; i < fromLabels.Length; i++)
        {
            Assert.Equal(fromOneHot[i], fromLabels[i], 1e-6f);
        }
    }

    [Fact]
    public void ComputeGradients_RejectsLabelOutOfRange()
    {
        var net = new ClassifierNet(seed: 2);
        float[] inputs = TestData.Inputs(net, 2, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => net.ComputeGradients(inputs, new[] { 1, 4 }, new float[ClassifierNet.ParameterCount]));

        Assert.Equal("labels", error.ParamName);
        Assert.Contains("Label 4 at index 1", error.Message);
    }

    [Fact]
    public void Forward_SingleEqualsBatchRow()
    {
        var net = new ClassifierNet(seed: 2);
        float[] inputs = TestData.Inputs(net, 3, seed: 1);
        var batch = new float[3 * ClassifierNet.OutputSize];
        net.Forward(inputs, batch, 3);

        for (int s = 0; s < 3; s++)
        {
            var single = new float[ClassifierNet.OutputSize];
            net.Forward(inputs.AsSpan(s * ClassifierNet.InputSize, ClassifierNet.InputSize), single);
            Assert.Equal(batch.AsSpan(s * ClassifierNet.OutputSize, ClassifierNet.OutputSize).ToArray(), single);
        }
    }

    [Fact]
    public void Forward_SoftmaxRowsSumToOne()
    {
        var net = new ClassifierNet(seed: 2);
        float[] inputs = TestData.Inputs(net, 4, seed: 9);
        var outputs = new float[4 * ClassifierNet.OutputSize];
        net.Forward(inputs, outputs, 4);

        for (int s = 0; s < 4; s++)
        {
            Assert.Equal(1f, outputs.AsSpan(s * 4, 4).ToArray().Sum(), 5);
        }
    }

    [Fact]
    public void Forward_ZeroBatchIsAllowed()
    {
        var net = new ClassifierNet(seed: 2);

        net.Forward(ReadOnlySpan<float>.Empty, Span<float>.Empty, 0);
    }

    [Theory]
    [InlineData(11, 4, "input", "Expected a span of 12 elements but got 11.")]
    [InlineData(12, 5, "output", "Expected a span of 4 elements but got 5.")]
    public void Forward_RejectsWrongLengths(int inputLength, int outputLength, string parameter, string message)
    {
        var net = new ClassifierNet(seed: 2);

        var error = Assert.Throws<ArgumentException>(() => net.Forward(new float[inputLength], new float[outputLength]));

        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [InlineData(24, 8, 3, "inputs", "Expected a span of 36 elements but got 24.")]
    [InlineData(36, 8, 3, "outputs", "Expected a span of 12 elements but got 8.")]
    public void ForwardBatch_RejectsWrongLengths(int inputLength, int outputLength, int batch, string parameter, string message)
    {
        var net = new ClassifierNet(seed: 2);

        var error = Assert.Throws<ArgumentException>(() => net.Forward(new float[inputLength], new float[outputLength], batch));

        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void ForwardBatch_RejectsNegativeBatch()
    {
        var net = new ClassifierNet(seed: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(new float[0], new float[0], -1));
    }

    [Theory]
    [InlineData(13, 4, ClassifierNet.ParameterCount, "inputs", "Expected a positive multiple of 12 elements")]
    [InlineData(0, 0, ClassifierNet.ParameterCount, "inputs", "Expected a positive multiple of 12 elements")]
    [InlineData(24, 4, ClassifierNet.ParameterCount, "targets", "Expected a span of 8 elements but got 4.")]
    [InlineData(12, 4, 10, "gradients", "Expected a span of 433 elements but got 10.")]
    public void ComputeGradients_RejectsWrongLengths(int inputLength, int targetLength, int gradientLength, string parameter, string message)
    {
        var net = new ClassifierNet(seed: 2);

        var error = Assert.Throws<ArgumentException>(
            () => net.ComputeGradients(new float[inputLength], new float[targetLength], new float[gradientLength]));

        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Forward_ThreadSafeOnOneInstance()
    {
        var net = new ClassifierNet(seed: 4);
        const int Samples = 2000;
        float[] inputs = TestData.Inputs(net, Samples, seed: 3);
        float[] expected = SingleForwards(net, inputs, Samples);

        var actual = new float[Samples * ClassifierNet.OutputSize];
        Parallel.For(0, Samples, new ParallelOptions { MaxDegreeOfParallelism = 4 }, s =>
            net.Forward(
                inputs.AsSpan(s * ClassifierNet.InputSize, ClassifierNet.InputSize),
                actual.AsSpan(s * ClassifierNet.OutputSize, ClassifierNet.OutputSize)));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Forward_ThreadSafeWithThreadStaticScratch()
    {
        var net = new WideNet(seed: 4);
        const int Samples = 64;
        float[] inputs = TestData.Inputs(net, Samples, seed: 3);
        float[] expected = SingleForwards(net, inputs, Samples);

        var actual = new float[Samples * WideNet.OutputSize];
        Parallel.For(0, Samples, new ParallelOptions { MaxDegreeOfParallelism = 4 }, s =>
            net.Forward(
                inputs.AsSpan(s * WideNet.InputSize, WideNet.InputSize),
                actual.AsSpan(s * WideNet.OutputSize, WideNet.OutputSize)));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ForwardBatch_ThreadSafeOnOneInstance()
    {
        var net = new WideNet(seed: 4);
        const int Batches = 8;
        const int Rows = 40;
        float[] inputs = TestData.Inputs(net, Batches * Rows, seed: 3);
        var expected = new float[Batches * Rows * WideNet.OutputSize];
        for (int b = 0; b < Batches; b++)
        {
            net.Forward(inputs.AsSpan(b * Rows * WideNet.InputSize, Rows * WideNet.InputSize), expected.AsSpan(b * Rows * WideNet.OutputSize, Rows * WideNet.OutputSize), Rows);
        }

        var actual = new float[expected.Length];
        Parallel.For(0, Batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, b =>
            net.Forward(inputs.AsSpan(b * Rows * WideNet.InputSize, Rows * WideNet.InputSize), actual.AsSpan(b * Rows * WideNet.OutputSize, Rows * WideNet.OutputSize), Rows));

        Assert.Equal(expected, actual);
    }

    /// <summary>Runs <paramref name="samples"/> rows through the one-sample Forward, one after another.</summary>
    private static float[] SingleForwards(INetwork<float> net, float[] inputs, int samples)
    {
        var outputs = new float[samples * net.OutputSize];
        for (int s = 0; s < samples; s++)
        {
            net.Forward(inputs.AsSpan(s * net.InputSize, net.InputSize), outputs.AsSpan(s * net.OutputSize, net.OutputSize));
        }

        return outputs;
    }
}

public class NestedNetworkTests
{
    [Fact]
    public void KeywordNamedNestedNetwork_Works()
    {
        var net = new Container.@event(seed: 1);
        var output = new float[1];

        net.Forward(new[] { 0.5f, -0.5f }, output);

        Assert.InRange(output[0], 0f, 1f);
        Assert.Equal(3 * 2 + 3 + 3 + 1, Container.@event.ParameterCount);
    }
}
