using System;
using System.Collections.Generic;
using Layerwise.Benchmarks;
using Layerwise.Kernels;
using Layerwise.Tests.Generated;
using Layerwise.Tests.Kernels;
using Layerwise.Tests.Networks;
using Layerwise.Training;
using Xunit;

namespace Layerwise.Tests.Training;

public class ParameterPartitionTests
{
    public static TheoryData<int> PartCounts => new() { 1, 2, 3, 4, 7 };

    [Theory]
    [MemberData(nameof(PartCounts))]
    public void Ranges_CoverEveryParameterOnce(int parts)
    {
        foreach (INetwork<float> network in new INetwork<float>[] { new ClassifierNet(seed: 1), new WideNet(seed: 1), new InputNormNet(seed: 1), new NetworkC(seed: 1) })
        {
            var partition = ParameterPartition.FromLayers(network.Layers, network.ParameterCount);
            partition.Prepare(parts);
            var owner = new int[network.ParameterCount];
            for (int part = 0; part < parts; part++)
            {
                foreach ((int start, int end) in partition.Ranges(part, parts))
                {
                    Assert.InRange(start, 0, end - 1);
                    for (int i = start; i < end; i++)
                    {
                        owner[i]++;
                    }
                }
            }

            Assert.All(owner, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void Ranges_FollowGradientRows()
    {
        var network = new NetworkC(seed: 1);
        var partition = ParameterPartition.FromLayers(network.Layers, NetworkC.ParameterCount);
        partition.Prepare(2);

        // The weight-gradient product of 784 → 256 gives rows [0, 126) to the first part: 21 of its 43 blocks of six rows.
        (int first, int last) = KernelThreads.PartRows(256, 1, 2, MatrixProducts.BroadcastRowBlock);
        Assert.Equal((126, 256), (first, last));
        ReadOnlySpan<(int Start, int End)> second = partition.Ranges(1, 2);
        Assert.Equal((126 * 784, 256 * 784), second[0]);

        // The biases, computed on the calling thread, stay with the first part.
        LayerDescription layer1 = network.Layers[0];
        int bias = layer1.ParameterOffset + (256 * 784);
        Assert.Contains(partition.Ranges(0, 2).ToArray(), range => range.Start <= bias && bias + 256 <= range.End);
    }

    [Fact]
    public void Ranges_OnePartIsWholeBuffer()
    {
        var network = new ClassifierNet(seed: 1);
        var partition = ParameterPartition.FromLayers(network.Layers, ClassifierNet.ParameterCount);
        partition.Prepare(2);

        // A split that finds the workers busy runs as one part without preparing again.
        Assert.Equal(new[] { (0, ClassifierNet.ParameterCount) }, partition.Ranges(0, 1).ToArray());
        Assert.Throws<InvalidOperationException>(() => partition.Ranges(0, 3).ToArray());
    }

    [Fact]
    public void FromLayers_RejectsMisplacedWeights()
    {
        var layers = new List<LayerDescription>
        {
            new(LayerKind.Dense, 4, 3, Activation.ReLU, 0, 15) { HasBias = true },
            new(LayerKind.Dense, 3, 2, Activation.Identity, 10, 8) { HasBias = true },
        };

        var overlap = Assert.Throws<ArgumentException>(() => ParameterPartition.FromLayers(layers, 23));
        Assert.Contains("dense layer at parameter 10", overlap.Message);

        layers[1] = layers[1] with { ParameterOffset = 15 };
        var beyond = Assert.Throws<ArgumentException>(() => ParameterPartition.FromLayers(layers, 20));
        Assert.Contains("buffer of 20 parameters", beyond.Message);

        Assert.Equal(23, ParameterPartition.FromLayers(layers, 23).Count);
    }

    [Fact]
    public void CreateState_RejectsNullNetwork()
    {
        Assert.Throws<ArgumentNullException>(() => new Adam().CreateState<float>((INetwork<float>)null!));
    }
}

/// <summary>
/// Updates split across two cores by the network's layout. The class changes the process-wide thread limit and
/// counts split runs, so it runs alone.
/// </summary>
[Collection(nameof(SerialCollection))]
public class PartitionedUpdateTests
{
    [Fact]
    public void NetworkState_MatchesFlatState()
    {
        var network = new NetworkC(seed: 3);
        float[] gradients = MatrixProductTests.Values(new Random(4), NetworkC.ParameterCount);
        float[] start = network.Parameters.ToArray();

        float[] Run(Optimizer optimizer, bool byNetwork, int threads)
        {
            int before = KernelThreads.MaxThreads;
            try
            {
                KernelThreads.MaxThreads = threads;
                float[] parameters = (float[])start.Clone();
                OptimizerState<float> state = byNetwork ? optimizer.CreateState(network) : optimizer.CreateState<float>(NetworkC.ParameterCount);
                for (int step = 0; step < 3; step++)
                {
                    state.Step(parameters, gradients);
                }

                return parameters;
            }
            finally
            {
                KernelThreads.MaxThreads = before;
            }
        }

        foreach (Optimizer optimizer in new Optimizer[] { new Adam(1e-2), new AdamW(1e-2) })
        {
            float[] flat = Run(optimizer, byNetwork: false, threads: 1);
            long splitsBefore = KernelThreads.SplitProducts;
            float[] byRows = Run(optimizer, byNetwork: true, threads: 2);
            if (Environment.ProcessorCount >= 2)
            {
                Assert.True(KernelThreads.SplitProducts >= splitsBefore + 3, "every update split across the cores");
            }

            Assert.Equal(flat, byRows);
            Assert.NotEqual(start, byRows);
        }
    }
}
