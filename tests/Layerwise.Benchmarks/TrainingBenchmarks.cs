using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Layerwise.Data;
using Layerwise.Kernels;
using Layerwise.Training;

namespace Layerwise.Benchmarks;

/// <summary>
/// One Adam training step (gradients and update): network A at batch 32 and network C at batch 256, generated code
/// against the hand-written baseline. For C, samples per second = 256 / the mean time. Every benchmark runs on one
/// thread except the two-thread ones, which let the kernels split the products across two.
/// </summary>
/// <remarks>
/// C runs on uniform random inputs, with no zeros, and on real MNIST digits: each step takes the next of four batches
/// of 256 rows from <c>data/mnist-train-1024.csv.gz</c>, pixels scaled to [0, 1]. The generated first layer skips
/// the zeros of the digits' blank background, which random inputs do not have.
/// <c>pytorch_bench.py</c> and the TorchSharp tool run the same batches.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TrainingBenchmarks
{
    private readonly NetworkA _a = new(seed: 1);
    private readonly NetworkC _c = new(seed: 1);
    private readonly HandWrittenMlp _handA = new([4, 16, 16, 3], hiddenTanh: true);
    private readonly HandWrittenMlp _handC = new([784, 256, 128, 10], hiddenTanh: false);
    private readonly float[] _inputsA = InferenceBenchmarks.Inputs(32 * 4);
    private readonly float[] _inputsC = InferenceBenchmarks.Inputs(256 * 784);
    private readonly int[] _labelsA = Labels(32, 3);
    private readonly int[] _labelsC = Labels(256, 10);
    private readonly float[] _gradientsA = new float[NetworkA.ParameterCount];
    private readonly float[] _gradientsC = new float[NetworkC.ParameterCount];
    private readonly float[] _handParametersA = new float[NetworkA.ParameterCount];
    private readonly float[] _handParametersC = new float[NetworkC.ParameterCount];
    private OptimizerState<float> _adamA = null!;
    private OptimizerState<float> _adamC = null!;
    private float[] _mnistInputs = null!;
    private int[] _mnistLabels = null!;
    private int _mnistBatch;

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.MaxThreads = 1;
        _a.Parameters.CopyTo(_handParametersA);
        _c.Parameters.CopyTo(_handParametersC);
        _handA.LoadParameters(_handParametersA);
        _handC.LoadParameters(_handParametersC);
        _adamA = new Adam(1e-3).CreateState(_a);
        _adamC = new Adam(1e-3).CreateState(_c);
        string path = Path.Combine(FitBenchmarks.RepositoryRoot(), "data", "mnist-train-1024.csv.gz");
        Dataset<float> mnist = CsvDataset.ReadClassification<float>(path, classCount: 10, featureScale: 1.0 / 255);
        _mnistInputs = mnist.Features.ToArray();
        _mnistLabels = mnist.Labels.ToArray();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("A, batch 32")]
    public void HandWrittenA()
    {
        _handA.ComputeGradients(_inputsA, _labelsA, _gradientsA);
        _handA.AdamStep(_handParametersA, _gradientsA, 1e-3f);
    }

    [Benchmark, BenchmarkCategory("A, batch 32")]
    public void GeneratedA()
    {
        _a.ComputeGradients(_inputsA, _labelsA, _gradientsA);
        _adamA.Step(_a.Parameters, _gradientsA);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("C, batch 256")]
    public void HandWrittenC()
    {
        _handC.ComputeGradients(_inputsC, _labelsC, _gradientsC);
        _handC.AdamStep(_handParametersC, _gradientsC, 1e-3f);
    }

    [Benchmark, BenchmarkCategory("C, batch 256")]
    public void GeneratedC()
    {
        _c.ComputeGradients(_inputsC, _labelsC, _gradientsC);
        _adamC.Step(_c.Parameters, _gradientsC);
    }

    [GlobalSetup(Targets = [nameof(GeneratedCTwoThreads), nameof(GeneratedCMnistTwoThreads)])]
    public void SetupTwoThreads()
    {
        Setup();
        KernelThreads.MaxThreads = 2;
    }

    [Benchmark, BenchmarkCategory("C, batch 256")]
    public void GeneratedCTwoThreads() => GeneratedC();

    [Benchmark(Baseline = true), BenchmarkCategory("C, batch 256, MNIST")]
    public void HandWrittenCMnist()
    {
        int start = NextMnistBatch();
        _handC.ComputeGradients(_mnistInputs.AsSpan(start * 784, 256 * 784), _mnistLabels.AsSpan(start, 256), _gradientsC);
        _handC.AdamStep(_handParametersC, _gradientsC, 1e-3f);
    }

    [Benchmark, BenchmarkCategory("C, batch 256, MNIST")]
    public void GeneratedCMnist()
    {
        int start = NextMnistBatch();
        _c.ComputeGradients(_mnistInputs.AsSpan(start * 784, 256 * 784), _mnistLabels.AsSpan(start, 256), _gradientsC);
        _adamC.Step(_c.Parameters, _gradientsC);
    }

    [Benchmark, BenchmarkCategory("C, batch 256, MNIST")]
    public void GeneratedCMnistTwoThreads() => GeneratedCMnist();

    /// <summary>Returns the first row of the next of the four MNIST batches of 256 rows, in turn.</summary>
    private int NextMnistBatch()
    {
        int start = _mnistBatch * 256;
        _mnistBatch = (_mnistBatch + 1) % (_mnistLabels.Length / 256);
        return start;
    }

    private static int[] Labels(int count, int classes)
    {
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % classes;
        }

        return labels;
    }
}
