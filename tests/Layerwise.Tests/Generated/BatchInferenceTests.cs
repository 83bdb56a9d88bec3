using System;
using System.Collections.Generic;
using System.Linq;
using Layerwise.Benchmarks;
using Layerwise.Tests.Networks;
using Xunit;

namespace Layerwise.Tests.Generated;

/// <summary>
/// From 16 rows the batch Forward runs every layer over chunks of up to 256 rows with the batch matrix kernels. Its
/// rows must agree with the one-sample Forward up to the rounding of a different summation order, for every layer
/// kind and activation of the catalog, in inference mode (running BatchNorm statistics, no dropout or noise).
/// </summary>
public class BatchInferenceTests
{
    public static IEnumerable<object[]> CatalogNames() => CatalogGradientTests.Factories.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void Catalog_BatchRowsMatchSingleSamples(string network)
    {
        INetwork<double> net = CatalogGradientTests.Factories[network]();

        // One training step with statistics moves BatchNorm's running statistics off their starting values.
        net.NoiseSeed = 5;
        net.ComputeGradientsAndUpdateStatistics(CatalogGradientTests.Inputs(net, 8), CatalogGradientTests.Targets(net, 8), new double[net.ParameterCount]);

        foreach (int rows in new[] { 16, 300 })
        {
            AssertRowsMatch(net, CatalogGradientTests.Inputs(net, rows), rows, absolute: 1e-12, relative: 1e-12, $"{network}, {rows} rows");
        }
    }

    [Fact]
    public void WideLayers_BatchRowsMatchSingleSamples()
    {
        // 300 rows: a chunk of 256, where the 784 → 256 layer broadcasts over a transposed copy of W, and one of 44.
        var net = new NetworkC(seed: 2);
        AssertRowsMatch(net, TestData.Inputs(net, 300, seed: 8), 300, absolute: 1e-6, relative: 1e-4, "NetworkC, 300 rows");
    }

    [Fact]
    public void SmallBatch_EqualsSingleSamplesExactly()
    {
        // Under 16 rows the batch runs the one-sample pass on each row.
        var net = new WideNet(seed: 2);
        const int Rows = 15;
        float[] inputs = TestData.Inputs(net, Rows, seed: 8);
        var batch = new float[Rows * WideNet.OutputSize];
        net.Forward(inputs, batch, Rows);

        var single = new float[WideNet.OutputSize];
        for (int s = 0; s < Rows; s++)
        {
            net.Forward(inputs.AsSpan(s * WideNet.InputSize, WideNet.InputSize), single);
            Assert.Equal(single, batch.AsSpan(s * WideNet.OutputSize, WideNet.OutputSize).ToArray());
        }
    }

    [Fact]
    public void NonFiniteInput_StaysInItsRow()
    {
        var net = new ClassifierNet(seed: 2);
        const int Rows = 20;
        float[] inputs = TestData.Inputs(net, Rows, seed: 8);
        inputs[(3 * ClassifierNet.InputSize) + 5] = float.NaN;
        var batch = new float[Rows * ClassifierNet.OutputSize];
        net.Forward(inputs, batch, Rows);

        for (int s = 0; s < Rows; s++)
        {
            float[] row = batch.AsSpan(s * ClassifierNet.OutputSize, ClassifierNet.OutputSize).ToArray();
            Assert.Equal(s == 3, row.Any(float.IsNaN));
        }
    }

    /// <summary>Checks every row of the batch Forward against the one-sample Forward of the same input.</summary>
    private static void AssertRowsMatch<T>(INetwork<T> net, T[] inputs, int rows, double absolute, double relative, string label)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var batch = new T[rows * net.OutputSize];
        net.Forward(inputs, batch, rows);
        var single = new T[net.OutputSize];
        for (int s = 0; s < rows; s++)
        {
            net.Forward(inputs.AsSpan(s * net.InputSize, net.InputSize), single);
            for (int k = 0; k < net.OutputSize; k++)
            {
                double expected = double.CreateChecked(single[k]);
                double actual = double.CreateChecked(batch[(s * net.OutputSize) + k]);
                Assert.True(
                    Math.Abs(actual - expected) <= absolute + (relative * Math.Abs(expected)),
                    $"{label}: row {s} output {k} is {actual:R} in the batch and {expected:R} alone.");
            }
        }
    }
}
