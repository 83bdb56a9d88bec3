using System;
using System.Collections.Generic;
using System.Linq;
using Layerwise.Tests.Networks;
using Xunit;

namespace Layerwise.Tests.Generated;

/// <summary>
/// Central finite differences of the generated double-precision training loss against the generated
/// gradients, for every activation, layer and loss of the catalog. Dropout and noise keep their masks
/// because <see cref="INetwork{T}.NoiseSeed"/> is fixed across the calls.
/// </summary>
public class CatalogGradientTests
{
    private const double Step = 1e-6;
    private const double AbsoluteTolerance = 1e-6;
    private const double RelativeTolerance = 1e-5;

    internal static readonly Dictionary<string, Func<INetwork<double>>> Factories = new()
    {
        ["ExponentialActivationsNet"] = () => new ExponentialActivationsNet(seed: 5),
        ["SmoothActivationsNet"] = () => new SmoothActivationsNet(seed: 5),
        ["LearnedActivationsNet"] = () => new LearnedActivationsNet(seed: 5),
        ["AdaptiveSlopeNet"] = () => new AdaptiveSlopeNet(seed: 5),
        ["NormalizationNet"] = () => new NormalizationNet(seed: 5),
        ["RegularizedNet"] = () => new RegularizedNet(seed: 5),
        ["StandardizedResidualNet"] = () => new StandardizedResidualNet(seed: 5),
        ["FrozenLayerNet"] = () => new FrozenLayerNet(seed: 5),
        ["InputResidualNet"] = () => new InputResidualNet(seed: 5),
    };

    public static IEnumerable<object[]> Cases() =>
        from name in Factories.Keys
        from batch in new[] { 2, 7 }
        select new object[] { name, batch };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_MatchFiniteDifferences(string network, int batch)
    {
        INetwork<double> net = Factories[network]();
        Perturb(net, seed: batch);
        net.NoiseSeed = 11;
        double[] inputs = Inputs(net, batch);
        double[] targets = Targets(net, batch);
        var gradients = new double[net.ParameterCount];
        var scratch = new double[net.ParameterCount];
        net.ComputeGradients(inputs, targets, gradients);

        Span<double> parameters = net.Parameters;
        bool[] frozen = FrozenMask(net);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (frozen[i])
            {
                Assert.Equal(0.0, gradients[i]);
                continue;
            }

            double original = parameters[i];
            parameters[i] = original + Step;
            double plus = net.ComputeGradients(inputs, targets, scratch);
            parameters[i] = original - Step;
            double minus = net.ComputeGradients(inputs, targets, scratch);
            parameters[i] = original;
            double numeric = (plus - minus) / (2 * Step);

            Assert.True(
                Math.Abs(gradients[i] - numeric) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric),
                $"{network}, batch {batch}: parameter {i} has gradient {gradients[i]:R}, finite difference {numeric:R}.");
        }
    }

    public static IEnumerable<object[]> Names() => Factories.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Names))]
    public void ComputeGradients_OverwritesOldValues(string network)
    {
        // Dense kernels overwrite their gradients and every other slot is cleared first, so old values never leak in.
        INetwork<double> net = Factories[network]();
        net.NoiseSeed = 11;
        double[] inputs = Inputs(net, 5);
        double[] targets = Targets(net, 5);
        var fresh = new double[net.ParameterCount];
        double[] reused = Enumerable.Repeat(double.NaN, net.ParameterCount).ToArray();

        net.ComputeGradients(inputs, targets, fresh);
        net.ComputeGradients(inputs, targets, reused);

        Assert.Equal(fresh, reused);
    }

    [Fact]
    public void FrozenLayer_HasZeroGradients()
    {
        var net = new FrozenLayerNet(seed: 1);
        var gradients = new double[FrozenLayerNet.ParameterCount];
        net.ComputeGradients(Inputs(net, 4), Targets(net, 4), gradients);

        Assert.All(gradients.AsSpan(0, 4 * 3 + 4).ToArray(), value => Assert.Equal(0.0, value));
        Assert.Contains(gradients.Skip(16), value => value != 0);
    }

    [Theory]
    [InlineData("RegularizedNet")]
    [InlineData("NormalizationNet")]
    public void Forward_RepeatsExactly(string network)
    {
        INetwork<double> net = Factories[network]();
        double[] input = Inputs(net, 1);
        var first = new double[net.OutputSize];
        var second = new double[net.OutputSize];

        net.Forward(input, first);
        net.NoiseSeed = 99;
        net.ComputeGradients(Inputs(net, 3), Targets(net, 3), new double[net.ParameterCount]);
        net.Forward(input, second);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Forward_DropoutAndNoiseOffInInference()
    {
        // Without dropout and noise the inference output equals the training-mode output at rate 0, which the
        // network computes by hand here from its layers: noise adds nothing and dropout keeps every value.
        var net = new RegularizedNet(seed: 3);
        double[] input = Inputs(net, 1);
        var output = new double[RegularizedNet.OutputSize];
        net.Forward(input, output);

        var twin = new RegularizedNet(seed: 3);
        var noiseless = new double[RegularizedNet.OutputSize];
        twin.Forward(input, noiseless);
        Assert.Equal(noiseless, output);
        Assert.Equal(1.0, output.Sum(), 12);
    }

    [Fact]
    public void ComputeGradients_DependsOnNoiseSeedOnlyThroughMasks()
    {
        var net = new RegularizedNet(seed: 3);
        double[] inputs = Inputs(net, 5);
        double[] targets = Targets(net, 5);
        var gradients = new double[RegularizedNet.ParameterCount];

        net.NoiseSeed = 1;
        double first = net.ComputeGradients(inputs, targets, gradients);
        double repeated = net.ComputeGradients(inputs, targets, gradients);
        net.NoiseSeed = 2;
        double other = net.ComputeGradients(inputs, targets, gradients);

        Assert.Equal(first, repeated);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void BatchNorm_RunningStatisticsFollowPyTorchRule()
    {
        var net = new NormalizationNet(seed: 2);
        double[] inputs = Inputs(net, 6);
        double[] targets = Targets(net, 6);
        var gradients = new double[NormalizationNet.ParameterCount];
        double[] before = net.State.ToArray();

        net.ComputeGradients(inputs, targets, gradients);
        Assert.Equal(before, net.State.ToArray());

        net.ComputeGradientsAndUpdateStatistics(inputs, targets, gradients);

        // The BatchNorm input is the first Dense layer's output without bias: z = W·x.
        ReadOnlySpan<double> weights = net.Parameters.Slice(0, 6 * 5);
        for (int unit = 0; unit < 6; unit++)
        {
            var z = new double[6];
            for (int sample = 0; sample < 6; sample++)
            {
                for (int i = 0; i < 5; i++)
                {
                    z[sample] += weights[unit * 5 + i] * inputs[sample * 5 + i];
                }
            }

            double mean = z.Average();
            double unbiased = z.Sum(value => (value - mean) * (value - mean)) / 5;
            Assert.Equal(0.9 * 0 + 0.1 * mean, net.State[unit], 12);
            Assert.Equal(0.9 * 1 + 0.1 * unbiased, net.State[6 + unit], 12);
        }
    }

    [Fact]
    public void BatchNorm_RejectsSingleSampleBatch()
    {
        var net = new NormalizationNet(seed: 2);

        var error = Assert.Throws<ArgumentException>(
            () => net.ComputeGradients(Inputs(net, 1), Targets(net, 1), new double[NormalizationNet.ParameterCount]));

        Assert.Contains("at least 2 samples", error.Message);
    }

    /// <summary>Moves every parameter and state value away from its initial value, so no term vanishes by symmetry.</summary>
    private static void Perturb(INetwork<double> network, int seed)
    {
        var random = new Random(seed);
        Span<double> parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += random.NextDouble() * 0.2 - 0.1;
        }

        Span<double> state = network.State;
        foreach (LayerDescription layer in network.Layers.Where(layer => layer.Kind == LayerKind.Standardize))
        {
            for (int j = 0; j < layer.OutputSize; j++)
            {
                state[layer.StateOffset + j] = random.NextDouble() - 0.5;
                state[layer.StateOffset + layer.OutputSize + j] = 0.5 + random.NextDouble();
            }
        }
    }

    private static bool[] FrozenMask(INetwork<double> network)
    {
        var mask = new bool[network.ParameterCount];
        foreach (LayerDescription layer in network.Layers.Where(layer => layer.Frozen))
        {
            int count = layer.WeightCount + (layer.HasBias ? layer.OutputSize : 0);
            mask.AsSpan(layer.ParameterOffset, count).Fill(true);
        }

        return mask;
    }

    internal static double[] Inputs(INetwork<double> network, int batch)
    {
        var random = new Random(batch * 31 + network.InputSize);
        return Enumerable.Range(0, batch * network.InputSize).Select(_ => random.NextDouble() * 3 - 1.5).ToArray();
    }

    internal static double[] Targets(INetwork<double> network, int batch)
    {
        var random = new Random(batch * 17 + network.OutputSize);
        int outputs = network.OutputSize;
        var targets = new double[batch * outputs];
        for (int s = 0; s < batch; s++)
        {
            Span<double> row = targets.AsSpan(s * outputs, outputs);
            for (int k = 0; k < outputs; k++)
            {
                row[k] = network.Loss == Loss.CrossEntropy || network.Loss == Loss.BinaryCrossEntropy
                    ? random.NextDouble() + 0.05
                    : random.NextDouble() * 2 - 1;
            }

            if (network.Loss == Loss.CrossEntropy)
            {
                double sum = row.ToArray().Sum();
                for (int k = 0; k < outputs; k++)
                {
                    row[k] /= sum;
                }
            }
            else if (network.Loss == Loss.BinaryCrossEntropy)
            {
                for (int k = 0; k < outputs; k++)
                {
                    row[k] = Math.Min(row[k], 1);
                }
            }
        }

        return targets;
    }
}
