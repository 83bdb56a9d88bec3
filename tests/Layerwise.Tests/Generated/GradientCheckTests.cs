using System;
using System.Collections.Generic;
using Layerwise.Tests.Networks;
using Xunit;

namespace Layerwise.Tests.Generated;

/// <summary>
/// Compares the generated float gradients with central finite differences of an independent
/// double-precision implementation of the same network and loss.
/// </summary>
public class GradientCheckTests
{
    private const double Step = 1e-5;

    // Float gradients carry rounding of about 1e-6 relative to the largest terms summed into them.
    private const double AbsoluteTolerance = 5e-5;
    private const double RelativeTolerance = 2e-3;

    public static IEnumerable<object[]> Cases()
    {
        foreach (string name in Factories.Keys)
        {
            foreach (int batch in new[] { 1, 3, 7 })
            {
                yield return new object[] { name, batch };
            }
        }
    }

    internal static readonly Dictionary<string, Func<INetwork<float>>> Factories = new()
    {
        ["RegressionNet"] = () => new RegressionNet(seed: 3),
        ["SoftmaxRegressionNet"] = () => new SoftmaxRegressionNet(seed: 3),
        ["SigmoidRegressionNet"] = () => new SigmoidRegressionNet(seed: 3),
        ["ClassifierNet"] = () => new ClassifierNet(seed: 3),
        ["MultiLabelNet"] = () => new MultiLabelNet(seed: 3),
        ["InputNormNet"] = () => new InputNormNet(seed: 3),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_MatchFiniteDifferences(string network, int batch)
    {
        INetwork<float> net = Factories[network]();
        RandomizeBiasesAndGains(net);
        float[] inputs = TestData.Inputs(net, batch, seed: batch);
        float[] targets = TestData.Targets(net, batch, seed: batch);
        var gradients = new float[net.ParameterCount];
        net.ComputeGradients(inputs, targets, gradients);

        double[] parameters = TestData.ToDouble(net.Parameters);
        double[] inputValues = TestData.ToDouble(inputs);
        double[] targetValues = TestData.ToDouble(targets);
        for (int i = 0; i < parameters.Length; i++)
        {
            double original = parameters[i];
            parameters[i] = original + Step;
            double plus = ReferenceNetwork.Loss(net.Loss, net.Layers, parameters, inputValues, targetValues);
            parameters[i] = original - Step;
            double minus = ReferenceNetwork.Loss(net.Loss, net.Layers, parameters, inputValues, targetValues);
            parameters[i] = original;
            double numeric = (plus - minus) / (2 * Step);

            double error = Math.Abs(gradients[i] - numeric);
            Assert.True(
                error <= AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric),
                $"{network}, batch {batch}: parameter {i} has gradient {gradients[i]:R}, finite difference {numeric:R}.");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_MatchesReference(string network, int batch)
    {
        INetwork<float> net = Factories[network]();
        RandomizeBiasesAndGains(net);
        float[] inputs = TestData.Inputs(net, batch, seed: batch);
        float[] targets = TestData.Targets(net, batch, seed: batch);

        float loss = net.ComputeGradients(inputs, targets, new float[net.ParameterCount]);
        double expected = ReferenceNetwork.Loss(
            net.Loss, net.Layers, TestData.ToDouble(net.Parameters), TestData.ToDouble(inputs), TestData.ToDouble(targets));

        Assert.True(Math.Abs(loss - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"loss {loss:R}, reference {expected:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesReference(string network, int batch)
    {
        INetwork<float> net = Factories[network]();
        RandomizeBiasesAndGains(net);
        float[] inputs = TestData.Inputs(net, batch, seed: batch);
        var outputs = new float[batch * net.OutputSize];
        net.Forward(inputs, outputs, batch);

        double[] parameters = TestData.ToDouble(net.Parameters);
        for (int s = 0; s < batch; s++)
        {
            double[] expected = ReferenceNetwork.Forward(
                net.Layers, parameters, TestData.ToDouble(inputs.AsSpan(s * net.InputSize, net.InputSize)), out _);
            for (int k = 0; k < net.OutputSize; k++)
            {
                double actual = outputs[s * net.OutputSize + k];
                Assert.True(
                    Math.Abs(actual - expected[k]) <= 1e-5 * Math.Max(1e-3, Math.Abs(expected[k])) + 1e-6,
                    $"sample {s}, output {k}: {actual:R}, reference {expected[k]:R}");
            }
        }
    }

    /// <summary>
    /// Gives biases and LayerNorm parameters non-default values, so their gradients are checked away from
    /// the zero/one starting point where some terms vanish.
    /// </summary>
    internal static void RandomizeBiasesAndGains(INetwork<float> network)
    {
        var random = new Random(17);
        Span<float> parameters = network.Parameters;
        foreach (LayerDescription layer in network.Layers)
        {
            int start = layer.ParameterOffset + layer.WeightCount;
            int end = layer.ParameterOffset + layer.ParameterCount;
            for (int i = start; i < end; i++)
            {
                parameters[i] += (float)(random.NextDouble() * 0.4 - 0.2);
            }
        }
    }
}
