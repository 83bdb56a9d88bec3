using System;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Layerwise.Benchmarks;

/// <summary>
/// The fused multiply-add rate of each processor, pinned to it in turn: 12 independent sums of one register width,
/// 2²⁰ steps per call, so 2 · 12 · lanes · 2²⁰ floating-point operations per call.
/// </summary>
/// <remarks>
/// Run it before and after a sitting to check that both processors ran at their full rate. On the Zen 4 virtual
/// machine of <c>docs/benchmarks.md</c> a call took about 3.43 ms, 117 GFLOP/s, on each processor.
/// </remarks>
public class MachineBenchmarks
{
    private const int Steps = 1 << 20;

    /// <summary>The processor the benchmark runs on.</summary>
    [Params(0, 1)]
    public int Processor { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Processor >= Environment.ProcessorCount)
        {
            throw new InvalidOperationException($"Processor {Processor} does not exist: this machine has {Environment.ProcessorCount}.");
        }

        // .NET sets processor affinity on Linux and Windows only; elsewhere the rate is that of whichever core runs it.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << Processor);
        }
    }

    /// <summary>Returns the sum of the twelve accumulators, so the loop is not removed.</summary>
    [Benchmark]
    public float MultiplyAdds()
        => Vector512.IsHardwareAccelerated ? Run512() : Run256();

    private static float Run512()
    {
        Vector512<float> a = Vector512.Create(1.0000001f);
        Vector512<float> b = Vector512.Create(0.9999999f);
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector512<float> s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default;
        for (int i = 0; i < Steps; i++)
        {
            s0 = Vector512.FusedMultiplyAdd(a, b, s0);
            s1 = Vector512.FusedMultiplyAdd(a, b, s1);
            s2 = Vector512.FusedMultiplyAdd(a, b, s2);
            s3 = Vector512.FusedMultiplyAdd(a, b, s3);
            s4 = Vector512.FusedMultiplyAdd(a, b, s4);
            s5 = Vector512.FusedMultiplyAdd(a, b, s5);
            s6 = Vector512.FusedMultiplyAdd(a, b, s6);
            s7 = Vector512.FusedMultiplyAdd(a, b, s7);
            s8 = Vector512.FusedMultiplyAdd(a, b, s8);
            s9 = Vector512.FusedMultiplyAdd(a, b, s9);
            s10 = Vector512.FusedMultiplyAdd(a, b, s10);
            s11 = Vector512.FusedMultiplyAdd(a, b, s11);
        }

        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }

    private static float Run256()
    {
        Vector256<float> a = Vector256.Create(1.0000001f);
        Vector256<float> b = Vector256.Create(0.9999999f);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector256<float> s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default;
        for (int i = 0; i < Steps; i++)
        {
            s0 = Vector256.FusedMultiplyAdd(a, b, s0);
            s1 = Vector256.FusedMultiplyAdd(a, b, s1);
            s2 = Vector256.FusedMultiplyAdd(a, b, s2);
            s3 = Vector256.FusedMultiplyAdd(a, b, s3);
            s4 = Vector256.FusedMultiplyAdd(a, b, s4);
            s5 = Vector256.FusedMultiplyAdd(a, b, s5);
            s6 = Vector256.FusedMultiplyAdd(a, b, s6);
            s7 = Vector256.FusedMultiplyAdd(a, b, s7);
            s8 = Vector256.FusedMultiplyAdd(a, b, s8);
            s9 = Vector256.FusedMultiplyAdd(a, b, s9);
            s10 = Vector256.FusedMultiplyAdd(a, b, s10);
            s11 = Vector256.FusedMultiplyAdd(a, b, s11);
        }

        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }
}
