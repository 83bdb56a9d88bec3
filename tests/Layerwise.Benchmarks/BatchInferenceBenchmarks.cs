using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Layerwise.Kernels;

namespace Layerwise.Benchmarks;

/// <summary>
/// Inference over a batch of 256 samples of networks B and C: the hand-written baseline one sample at a time, the
/// generated batch Forward on one thread, and on two for C.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BatchInferenceBenchmarks
{
    private const int Batch = 256;
    private readonly NetworkB _b = new(seed: 1);
    private readonly NetworkC _c = new(seed: 1);
    private readonly HandWrittenMlp _handB = new([64, 128, 64, 10], hiddenTanh: false);
    private readonly HandWrittenMlp _handC = new([784, 256, 128, 10], hiddenTanh: false);
    private readonly float[] _inputsB = InferenceBenchmarks.Inputs(Batch * 64);
    private readonly float[] _inputsC = InferenceBenchmarks.Inputs(Batch * 784);
    private readonly float[] _outputs = new float[Batch * 10];

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.MaxThreads = 1;
        _handB.LoadParameters(_b.Parameters);
        _handC.LoadParameters(_c.Parameters);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("B, batch 256")]
    public void HandWrittenB() => _handB.ForwardBatch(_inputsB, _outputs, Batch);

    [Benchmark, BenchmarkCategory("B, batch 256")]
    public void GeneratedB() => _b.Forward(_inputsB, _outputs, Batch);

    [Benchmark(Baseline = true), BenchmarkCategory("C, batch 256")]
    public void HandWrittenC() => _handC.ForwardBatch(_inputsC, _outputs, Batch);

    [Benchmark, BenchmarkCategory("C, batch 256")]
    public void GeneratedC() => _c.Forward(_inputsC, _outputs, Batch);

    [GlobalSetup(Target = nameof(GeneratedCTwoThreads))]
    public void SetupTwoThreads()
    {
        Setup();
        KernelThreads.MaxThreads = 2;
    }

    [Benchmark, BenchmarkCategory("C, batch 256")]
    public void GeneratedCTwoThreads() => GeneratedC();
}
