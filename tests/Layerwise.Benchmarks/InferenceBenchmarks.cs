using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Layerwise.Benchmarks;

/// <summary>Batch-1 inference of networks A, B and C: generated code against the hand-written baseline.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class InferenceBenchmarks
{
    private readonly NetworkA _a = new(seed: 1);
    private readonly NetworkB _b = new(seed: 1);
    private readonly NetworkC _c = new(seed: 1);
    private readonly HandWrittenMlp _handA = new([4, 16, 16, 3], hiddenTanh: true);
    private readonly HandWrittenMlp _handB = new([64, 128, 64, 10], hiddenTanh: false);
    private readonly HandWrittenMlp _handC = new([784, 256, 128, 10], hiddenTanh: false);
    private readonly float[] _inputA = Inputs(4);
    private readonly float[] _inputB = Inputs(64);
    private readonly float[] _inputC = Inputs(784);
    private readonly float[] _output3 = new float[3];
    private readonly float[] _output10 = new float[10];

    [GlobalSetup]
    public void Setup()
    {
        _handA.LoadParameters(_a.Parameters);
        _handB.LoadParameters(_b.Parameters);
        _handC.LoadParameters(_c.Parameters);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("A")]
    public void HandWrittenA() => _handA.Forward(_inputA, _output3);

    [Benchmark, BenchmarkCategory("A")]
    public void GeneratedA() => _a.Forward(_inputA, _output3);

    [Benchmark(Baseline = true), BenchmarkCategory("B")]
    public void HandWrittenB() => _handB.Forward(_inputB, _output10);

    [Benchmark, BenchmarkCategory("B")]
    public void GeneratedB() => _b.Forward(_inputB, _output10);

    [Benchmark(Baseline = true), BenchmarkCategory("C")]
    public void HandWrittenC() => _handC.Forward(_inputC, _output10);

    [Benchmark, BenchmarkCategory("C")]
    public void GeneratedC() => _c.Forward(_inputC, _output10);

    internal static float[] Inputs(int count, int seed = 1)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }
}
