using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Layerwise.Tests.Fixtures;

/// <summary>
/// Compares every generated network with the PyTorch reference that tools/fixtures/make_fixtures.py wrote:
/// inference outputs, training-mode loss and gradients (with the same dropout masks and noise), and
/// BatchNorm running statistics after a few training passes. The error of each value is
/// |ours − PyTorch| / max(|PyTorch|, 1e-3), and its maximum over a tensor must stay within the tolerance.
/// </summary>
public class PyTorchFixtureTests(ITestOutputHelper output)
{
    private const double SingleTolerance = 1e-4;
    private const double DoubleTolerance = 1e-10;

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch");

    public static IEnumerable<object[]> Names() =>
        Directory.GetFiles(Folder, "*.json").Select(path => new object[] { Path.GetFileNameWithoutExtension(path) }).OrderBy(row => (string)row[0]);

    [Fact]
    public void Fixtures_CoverTheCatalog()
    {
        Fixture[] fixtures = Directory.GetFiles(Folder, "*.json").Select(Load).ToArray();

        Assert.True(fixtures.Length >= 40, $"only {fixtures.Length} fixtures");
        Assert.Contains(fixtures, fixture => fixture.Precision == "Single");
        Assert.Contains(fixtures, fixture => fixture.Precision == "Double");
        foreach (int batch in new[] { 1, 7, 64 })
        {
            Assert.Contains(fixtures, fixture => fixture.Batch == batch);
        }

        foreach (string loss in Enum.GetNames<Loss>())
        {
            Assert.Contains(fixtures, fixture => fixture.Loss == loss);
        }

        foreach (string precision in new[] { "Single", "Double" })
        {
            foreach (int batch in new[] { 1, 7, 64 })
            {
                Assert.Contains(fixtures, fixture => fixture.Precision == precision && fixture.Batch == batch);
            }
        }

        Assert.Contains(fixtures, fixture => fixture.Labels is not null);
        Assert.Contains(fixtures, fixture => fixture.StateAfter is not null);

        Assert.Equal(fixtures.Length, FixtureNetworks.Create.Count);
    }

    [Fact]
    public void FixtureNetworks_UseEveryLayerAndActivation()
    {
        var kinds = new HashSet<LayerKind>();
        var activations = new HashSet<Activation>();
        var depths = new HashSet<int>();
        foreach (Func<object> create in FixtureNetworks.Create.Values)
        {
            IReadOnlyList<LayerDescription> layers = create() switch
            {
                INetwork<float> single => single.Layers,
                INetwork<double> pair => pair.Layers,
                _ => throw new InvalidOperationException("unexpected network type"),
            };
            depths.Add(layers.Count);
            foreach (LayerDescription layer in layers)
            {
                kinds.Add(layer.Kind);
                activations.Add(layer.Activation);
            }
        }

        Assert.Equal(Enum.GetValues<LayerKind>().ToHashSet(), kinds);
        Assert.Equal(Enum.GetValues<Activation>().ToHashSet(), activations);
        Assert.Contains(3, depths);
        Assert.Contains(depths, depth => depth >= 7 && depth <= 8);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Network_MatchesPyTorch(string name)
    {
        Fixture fixture = Load(Path.Combine(Folder, name + ".json"));
        object network = FixtureNetworks.Create[name]();
        Report report = network switch
        {
            INetwork<float> single => Compare(single, fixture),
            INetwork<double> pair => Compare(pair, fixture),
            _ => throw new InvalidOperationException("unexpected network type"),
        };

        output.WriteLine(report.ToString());
        double tolerance = fixture.Precision == "Double" ? DoubleTolerance : SingleTolerance;
        Assert.True(report.Outputs <= tolerance, $"{name}: outputs differ by {report.Outputs:E2}");
        Assert.True(report.Loss <= tolerance, $"{name}: loss differs by {report.Loss:E2}");
        Assert.True(report.Gradients <= tolerance, $"{name}: gradients differ by {report.Gradients:E2}");
        Assert.True(report.Labels <= tolerance, $"{name}: label gradients differ by {report.Labels:E2}");
        Assert.True(report.RunningStatistics <= tolerance, $"{name}: running statistics differ by {report.RunningStatistics:E2}");
    }

    private static Report Compare<T>(INetwork<T> network, Fixture fixture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(fixture.Parameters.Length, network.ParameterCount);
        Assert.Equal(fixture.State.Length, network.StateCount);
        Convert<T>(fixture.Parameters).CopyTo(network.Parameters);
        Convert<T>(fixture.State).CopyTo(network.State);
        T[] inputs = Convert<T>(fixture.Inputs);
        T[] targets = Convert<T>(fixture.Targets);

        var outputs = new T[fixture.Batch * network.OutputSize];
        network.Forward(inputs, outputs, fixture.Batch);

        network.NoiseSeed = fixture.NoiseSeed;
        var gradients = new T[network.ParameterCount];
        T loss = network.ComputeGradients(inputs, targets, gradients);

        double labels = 0;
        if (fixture.Labels is not null)
        {
            // A fixture with labels must exercise the label overload, so a network that lacks it fails here.
            var classifier = Assert.IsAssignableFrom<IClassifier<T>>(network);
            var labelGradients = new T[network.ParameterCount];
            T labelLoss = classifier.ComputeGradients(inputs, fixture.Labels, labelGradients);
            labels = Math.Max(
                MaxRelativeError(labelGradients, fixture.Gradients),
                MaxRelativeError(new[] { labelLoss }, new[] { fixture.TrainingLoss }));
        }

        double running = 0;
        if (fixture.StateAfter is not null)
        {
            Assert.True(fixture.RunningSteps > 0, "a fixture with running statistics must name its steps");
            Assert.NotNull(fixture.OutputsAfter);
            for (int step = 0; step < fixture.RunningSteps; step++)
            {
                network.ComputeGradientsAndUpdateStatistics(inputs, targets, gradients);
            }

            // Inference after the updates must use the new running statistics.
            var outputsAfter = new T[fixture.Batch * network.OutputSize];
            network.Forward(inputs, outputsAfter, fixture.Batch);
            running = Math.Max(
                MaxRelativeError(network.State.ToArray(), fixture.StateAfter),
                MaxRelativeError(outputsAfter, fixture.OutputsAfter!));
        }

        return new Report(
            fixture.Name,
            MaxRelativeError(outputs, fixture.Outputs),
            MaxRelativeError(new[] { loss }, new[] { fixture.TrainingLoss }),
            MaxRelativeError(gradients, fixture.Gradients),
            labels,
            running);
    }

    private static double MaxRelativeError<T>(IReadOnlyList<T> actual, IReadOnlyList<double> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Count, actual.Count);
        double max = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            double value = double.CreateTruncating(actual[i]);
            double error = Math.Abs(value - expected[i]) / Math.Max(Math.Abs(expected[i]), 1e-3);
            max = Math.Max(max, double.IsNaN(error) ? double.PositiveInfinity : error);
        }

        return max;
    }

    private static T[] Convert<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        values.Select(T.CreateTruncating).ToArray();

    private static Fixture Load(string path) =>
        JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
        ?? throw new InvalidDataException($"{path}: empty fixture");

    private sealed record Report(string Name, double Outputs, double Loss, double Gradients, double Labels, double RunningStatistics)
    {
        public override string ToString() =>
            $"{Name}: outputs {Outputs:E2}, loss {Loss:E2}, gradients {Gradients:E2}, label gradients {Labels:E2}, running statistics {RunningStatistics:E2}";
    }

    /// <summary>The JSON written by make_fixtures.py.</summary>
    private sealed class Fixture
    {
        public string Name { get; set; } = string.Empty;

        public string Precision { get; set; } = string.Empty;

        public string Loss { get; set; } = string.Empty;

        public int Batch { get; set; }

        public long NoiseSeed { get; set; }

        public int RunningSteps { get; set; }

        public double[] Inputs { get; set; } = [];

        public double[] Targets { get; set; } = [];

        public int[]? Labels { get; set; }

        public double[] Parameters { get; set; } = [];

        public double[] State { get; set; } = [];

        public double[] Outputs { get; set; } = [];

        public double TrainingLoss { get; set; }

        public double[] Gradients { get; set; } = [];

        public double[]? StateAfter { get; set; }

        public double[]? OutputsAfter { get; set; }

        public string TorchVersion { get; set; } = string.Empty;
    }
}
