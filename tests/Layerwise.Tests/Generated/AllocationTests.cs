using System;
using Layerwise.Tests.Networks;
using Layerwise.Training;
using Xunit;

namespace Layerwise.Tests.Generated;

/// <summary>Runs its tests after every parallel test has finished, with nothing running beside them.</summary>
[CollectionDefinition(nameof(SerialCollection), DisableParallelization = true)]
public sealed class SerialCollection
{
}

/// <summary>
/// Forward and a training step allocate nothing once warmed up. GC.GetTotalAllocatedBytes(precise: true)
/// counts every thread, so the class runs alone to keep other tests' allocations out of the count.
/// </summary>
[Collection(nameof(SerialCollection))]
public class AllocationTests
{
    [Fact]
    public void Forward_AllocatesNothing()
    {
        var net = new ClassifierNet(seed: 1);
        float[] input = TestData.Inputs(net, 1, seed: 1);
        var output = new float[ClassifierNet.OutputSize];
        net.Forward(input, output);

        long allocated = MeasureAllocations(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                net.Forward(input, output);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(300)]
    public void ForwardBatch_AllocatesNothing(int batch)
    {
        // Below 16 rows the batch runs one sample at a time, from 16 through the batch kernels in chunks.
        var net = new ClassifierNet(seed: 1);
        float[] inputs = TestData.Inputs(net, batch, seed: 1);
        var outputs = new float[batch * ClassifierNet.OutputSize];
        net.Forward(inputs, outputs, batch);

        // About 1,600 samples per run at every batch size. The counter includes the test runner's threads, and their
        // occasional allocations would land in every run if a run lasted long.
        int calls = Math.Max(1, 1600 / batch);
        long allocated = MeasureAllocations(() =>
        {
            for (int i = 0; i < calls; i++)
            {
                net.Forward(inputs, outputs, batch);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Forward_ThreadStaticScratchAllocatesOnlyOnce()
    {
        var net = new WideNet(seed: 1);
        float[] input = TestData.Inputs(net, 1, seed: 1);
        var output = new float[WideNet.OutputSize];
        net.Forward(input, output);

        long allocated = MeasureAllocations(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                net.Forward(input, output);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void TrainingStep_AllocatesNothing(string optimizerName)
    {
        var net = new ClassifierNet(seed: 1);
        float[] inputs = TestData.Inputs(net, 32, seed: 1);
        float[] targets = TestData.Targets(net, 32, seed: 1);
        var gradients = new float[ClassifierNet.ParameterCount];
        Optimizer optimizer = optimizerName == "sgd" ? new Sgd(0.01, momentum: 0.9) : new Adam();
        OptimizerState<float> state = optimizer.CreateState<float>(ClassifierNet.ParameterCount);
        net.ComputeGradients(inputs, targets, gradients);
        state.Step(net.Parameters, gradients);

        long allocated = MeasureAllocations(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                net.ComputeGradients(inputs, targets, gradients);
                state.Step(net.Parameters, gradients);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TrainingStepWithLabels_AllocatesNothing()
    {
        var net = new ClassifierNet(seed: 1);
        float[] inputs = TestData.Inputs(net, 8, seed: 1);
        int[] labels = { 0, 1, 2, 3, 3, 2, 1, 0 };
        var gradients = new float[ClassifierNet.ParameterCount];
        net.ComputeGradients(inputs, labels, gradients);

        long allocated = MeasureAllocations(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                net.ComputeGradients(inputs, labels, gradients);
            }
        });

        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// Returns the fewest bytes allocated in ten runs of <paramref name="action"/>. The counter sees every
    /// thread of the process, including the test runner's and the runtime's while it recompiles hot methods
    /// in the first runs; an allocation in the action itself shows in every run.
    /// </summary>
    private static long MeasureAllocations(Action action)
    {
        long fewest = long.MaxValue;
        for (int run = 0; run < 10; run++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            action();
            fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        return fewest;
    }
}
