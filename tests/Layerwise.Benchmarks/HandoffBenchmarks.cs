using System;
using System.Runtime.InteropServices;
using System.Threading;
using BenchmarkDotNet.Attributes;

namespace Layerwise.Benchmarks;

/// <summary>
/// The time a cache line takes to pass from processor 0 to processor 1 or back. A thread pinned to each passes a
/// counter to the other 2¹⁴ times per call. The reported time is the call's time / 2¹⁵, one handoff one way.
/// </summary>
/// <remarks>
/// Run it with <see cref="MachineBenchmarks"/> before and after a sitting. On the 2-core virtual machine of
/// <c>docs/benchmarks.md</c> a handoff took about 33 ns in some periods and about 170 ns in others, as the host placed
/// the two processors nearer or farther apart, and the two-thread training step took about a third longer in the
/// slower periods. This benchmark's round trip adds some overhead: it read about 48 ns and 168 ns in those periods. Linux only: elsewhere the setup throws <see cref="PlatformNotSupportedException"/>.
/// </remarks>
public class HandoffBenchmarks
{
    private const int Handoffs = 1 << 15;

    private long _counter;
    private Thread? _partner;
    private volatile bool _stop;

    [GlobalSetup]
    public void Setup()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
        {
            throw new PlatformNotSupportedException($"The handoff benchmark needs Linux and two processors, and this machine has {Environment.ProcessorCount} on {Environment.OSVersion}; run it on Linux with at least two.");
        }

        _partner = new Thread(PassOddValues) { IsBackground = true, Name = "Handoff partner" };
        _partner.Start();
        Pin(0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _partner?.Join();
    }

    /// <summary>
    /// Passes the counter to the partner and waits for it back, 2¹⁴ times: this thread makes each even value odd and
    /// the partner each odd value even.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Handoffs)]
    public long Handoff()
    {
        long value = Volatile.Read(ref _counter);
        for (int i = 0; i < Handoffs / 2; i++)
        {
            Volatile.Write(ref _counter, value + 1);
            value += 2;
            while (Volatile.Read(ref _counter) != value)
            {
            }
        }

        return value;
    }

    private void PassOddValues()
    {
        Pin(1);
        while (!_stop)
        {
            long value = Volatile.Read(ref _counter);
            if ((value & 1) == 1)
            {
                Volatile.Write(ref _counter, value + 1);
            }
        }
    }

    private static void Pin(int processor)
    {
        ulong set = 1UL << processor;
        if (SchedSetAffinity(0, sizeof(ulong), ref set) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity failed to pin a thread to processor {processor} (error {Marshal.GetLastPInvokeError()}).");
        }
    }

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SchedSetAffinity(int threadId, nint setSize, ref ulong set);
}
