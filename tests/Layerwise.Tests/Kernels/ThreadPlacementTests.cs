using System;
using System.Threading;
using Layerwise.Kernels;
using Layerwise.Tests.Generated;
using Xunit;

namespace Layerwise.Tests.Kernels;

/// <summary>
/// Where the kernel workers run: a worker never runs its part on the processor the calling thread is on, where the two
/// would take turns on one core. These run on Linux only. Elsewhere the placement helpers report that they cannot help.
/// </summary>
[Collection(nameof(SerialCollection))]
public class ThreadPlacementTests
{
    [Fact]
    public void MoveOff_LeavesProcessor()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal(-1, ThreadPlacement.CurrentProcessor());
            Assert.False(ThreadPlacement.MoveOff(0, ThreadPlacement.AllowedProcessors()));
            return;
        }

        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        (int Pinned, int Moved, bool Succeeded) result = OnOwnThread(() =>
        {
            byte[]? allowed = ThreadPlacement.AllowedProcessors();
            int first = ThreadPlacement.CurrentProcessor();
            Assert.True(ThreadPlacement.PinTo(first), "the thread pins itself to its processor");
            int pinned = ThreadPlacement.CurrentProcessor();
            bool succeeded = ThreadPlacement.MoveOff(pinned, allowed);
            return (pinned, ThreadPlacement.CurrentProcessor(), succeeded);
        });

        Assert.True(result.Succeeded);
        Assert.NotEqual(result.Pinned, result.Moved);
    }

    [Fact]
    public void MoveOff_WithoutOtherProcessor_ChangesNothing()
    {
        var onlyZero = new byte[128];
        onlyZero[0] = 1;
        Assert.False(ThreadPlacement.MoveOff(0, onlyZero));
        Assert.False(ThreadPlacement.MoveOff(0, null));
        Assert.False(ThreadPlacement.MoveOff(-1, onlyZero));
        Assert.False(ThreadPlacement.MoveOff(1024, onlyZero));
    }

    /// <summary>
    /// The caller is pinned to the processor the worker last ran on, where a woken worker is normally put back. The
    /// worker must still run its part elsewhere.
    /// </summary>
    [Fact]
    public void Worker_AvoidsCallersProcessor()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
        {
            return;
        }

        int before = KernelThreads.MaxThreads;
        try
        {
            KernelThreads.MaxThreads = 2;
            var random = new Random(11);
            float[] w = MatrixProductTests.Values(random, 300 * 131);
            float[] x = MatrixProductTests.Values(random, 256 * 300);
            var y = new float[256 * 131];
            long splits = KernelThreads.SplitProducts;
            DenseBatchKernels.Forward<float>(w, default, x, y, 300, 131);
            Assert.True(KernelThreads.SplitProducts > splits, "the product splits, so a worker exists");

            for (int round = 0; round < 20; round++)
            {
                int workerProcessor = KernelThreads.FirstWorkerProcessor;
                Assert.True(workerProcessor >= 0, "the worker reports its processor");
                int callerProcessor = OnOwnThread(() =>
                {
                    Assert.True(ThreadPlacement.PinTo(workerProcessor), "the caller pins itself to the worker's processor");
                    splits = KernelThreads.SplitProducts;
                    DenseBatchKernels.Forward<float>(w, default, x, y, 300, 131);
                    Assert.True(KernelThreads.SplitProducts > splits, "the pinned caller's product splits");
                    return ThreadPlacement.CurrentProcessor();
                });

                Assert.Equal(workerProcessor, callerProcessor);
                Assert.NotEqual(callerProcessor, KernelThreads.FirstWorkerProcessor);
            }
        }
        finally
        {
            KernelThreads.MaxThreads = before;
        }
    }

    /// <summary>Runs <paramref name="body"/> on a new thread, so a processor restriction ends with that thread.</summary>
    private static T OnOwnThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("The test thread failed.", failure);
        }

        return result;
    }
}
