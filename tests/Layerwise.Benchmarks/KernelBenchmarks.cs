using System;
using BenchmarkDotNet.Attributes;
using Layerwise.Kernels;

namespace Layerwise.Benchmarks;

/// <summary>
/// The dense forward product of network C's first layer at batch 256 (784 → 256), with bias and ReLU applied by the
/// same call as in the generated training code. It runs on one thread and on two, for the comparison with a BLAS
/// matrix product of the same shape. GFLOP/s = 2 · 256 · 784 · 256 / the mean time.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int Batch = 256;
    private const int Inputs = 784;
    private const int Outputs = 256;

    private readonly float[] _weights = InferenceBenchmarks.Inputs(Inputs * Outputs, seed: 2);
    private readonly float[] _bias = InferenceBenchmarks.Inputs(Outputs, seed: 3);
    private readonly float[] _input = InferenceBenchmarks.Inputs(Batch * Inputs, seed: 4);
    private readonly float[] _output = new float[Batch * Outputs];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => KernelThreads.MaxThreads = Threads;

    [Benchmark]
    public void DenseForward784x256()
    {
        DenseBatchKernels.Forward<float>(_weights, _bias, _input, _output, Inputs, Outputs, FusedActivation.ReLU);
    }
}
