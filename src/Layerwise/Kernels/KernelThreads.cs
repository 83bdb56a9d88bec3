using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Layerwise.Kernels;

/// <summary>
/// How many cores the matrix kernels and the Adam update may use. Work large enough to gain is split by rows between
/// the calling thread and long-lived worker threads. Small work runs on the calling thread alone and pays nothing for
/// threading.
/// </summary>
/// <remarks>
/// <para>
/// Every output element is computed by one thread, in the same order, whatever the split, so results are identical
/// on one core or several. Only one product at a time uses the workers: a call that finds them busy (another thread
/// training another network) runs on its own thread, so the kernels never start more threads than there are cores.
/// </para>
/// <para>
/// The workers are started on the first product that splits and stay, blocked, for the life of the process. They
/// are background threads, so they never keep a process alive.
/// </para>
/// </remarks>
public static class KernelThreads
{
    /// <summary>
    /// The minimum number of multiply-adds in each thread's share before a product splits: 20 to 30 microseconds of work at
    /// the kernels' speed, several times what waking a worker costs.
    /// </summary>
    public const long MinimumMultiplyAddsPerThread = ProductThresholds.MinimumMultiplyAddsPerThread;

    private static readonly Lock Gate = new();
    private static int s_maxThreads = Environment.ProcessorCount;
    private static Worker[] s_workers = [];
    private static long s_splitProducts;
    private static long s_workerMoves;
    private static long s_workerAllocatedBytes;

    /// <summary>
    /// Gets or sets the maximum number of threads one product may use, the calling thread included. The default is
    /// <see cref="Environment.ProcessorCount"/>; 1 keeps every product on the calling thread. Values above the
    /// processor count are treated as the processor count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref s_maxThreads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_maxThreads, value);
        }
    }

    /// <summary>
    /// Bytes the workers allocated while running parts, since the process started. Tests read it to count the workers'
    /// allocations exactly, which a process-wide count cannot do while a test host allocates beside them.
    /// </summary>
    internal static long WorkerAllocatedBytes => Interlocked.Read(ref s_workerAllocatedBytes);

    /// <summary>How many times a worker moved off the calling thread's processor since the process started. Tests read it.</summary>
    internal static long WorkerMoves => Interlocked.Read(ref s_workerMoves);

    /// <summary>The processor the first worker ran its last part on, or -1 before it ran one. Tests read it.</summary>
    internal static int FirstWorkerProcessor => s_workers.Length > 0 ? Volatile.Read(ref s_workers[0].LastProcessor) : -1;

    /// <summary>How many products have run in more than one part since the process started; tests read it.</summary>
    internal static long SplitProducts => Interlocked.Read(ref s_splitProducts);

    /// <summary>
    /// Returns how many parts a product of <paramref name="multiplyAdds"/> over <paramref name="rows"/> rows should be
    /// split into: at most <see cref="MaxThreads"/> and the processor count, each part with at least
    /// <see cref="MinimumMultiplyAddsPerThread"/> and at least <paramref name="rowQuantum"/> rows.
    /// </summary>
    internal static int PlanParts(long multiplyAdds, int rows, int rowQuantum)
    {
        long parts = Math.Min(MaxThreads, Environment.ProcessorCount);
        parts = Math.Min(parts, multiplyAdds / MinimumMultiplyAddsPerThread);
        parts = Math.Min(parts, rows / Math.Max(1, rowQuantum));
        return (int)Math.Max(1, parts);
    }

    /// <summary>
    /// Returns the rows [start, end) of part <paramref name="part"/> of <paramref name="parts"/>, cut at multiples of the
    /// quantum. Part sizes in blocks differ by at most one. A last, shorter block counts as whole, because the kernels
    /// compute it at the cost of a whole one.
    /// </summary>
    internal static (int Start, int End) PartRows(int rows, int part, int parts, int rowQuantum)
    {
        long blocks = ((long)rows + rowQuantum - 1) / rowQuantum;
        int Boundary(int index) => index >= parts ? rows : (int)Math.Min(rows, blocks * index / parts * rowQuantum);
        return (Boundary(part), Boundary(part + 1));
    }

    /// <summary>
    /// Runs <paramref name="work"/> in <paramref name="parts"/> parts, part 0 on the calling thread and the others on
    /// workers, and returns when all are done. Runs it as one part when the workers are busy.
    /// </summary>
    internal static void Run(IPartitionedWork work, int parts)
    {
        if (parts <= 1 || !Gate.TryEnter())
        {
            work.Run(0, 1);
            return;
        }

        try
        {
            Worker[] workers = EnsureWorkers(parts - 1);
            Interlocked.Increment(ref s_splitProducts);
            for (int i = 1; i < parts; i++)
            {
                workers[i - 1].Start(work, i, parts);
            }

            Exception? failure = null;
            try
            {
                work.Run(0, parts);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            for (int i = 1; i < parts; i++)
            {
                Exception? workerFailure = workers[i - 1].Join();
                failure ??= workerFailure;
            }

            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Gate.Exit();
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        Worker[] workers = s_workers;
        if (workers.Length >= count)
        {
            return workers;
        }

        var grown = new Worker[count];
        Array.Copy(workers, grown, workers.Length);
        for (int i = workers.Length; i < count; i++)
        {
            grown[i] = new Worker(i + 1);
        }

        s_workers = grown;
        return grown;
    }

    /// <summary>A thread that runs one part at a time. Both sides spin for up to 0.5 ms before they block, so the products of one step start without a wake-up.</summary>
    /// <remarks>
    /// The blocking waits use <see cref="AutoResetEvent"/>: a blocking wait on <see cref="ManualResetEventSlim"/>
    /// allocates on the waiting thread, which would break the zero-allocation training step. A flag marks whether a
    /// signal is real, so a wake-up left over from a wait that ended while spinning only costs another check. A worker
    /// that starts a part on the processor the caller was on moves off it (see <see cref="ThreadPlacement"/>).
    /// </remarks>
    private sealed class Worker
    {
        /// <summary>
        /// How long a waiting side spins before it blocks: 0.5 ms. Between the split products of one training step
        /// run the loss and the small last layers. On the networks the kernels were tuned on they took up to about
        /// 150 microseconds, so a worker that spins this long is awake for the next product of the step.
        /// </summary>
        private static readonly long SpinTicks = Stopwatch.Frequency / 2000;

        private readonly AutoResetEvent _startSignal = new(initialState: false);
        private readonly AutoResetEvent _finishSignal = new(initialState: false);
        private IPartitionedWork? _work;
        private int _part;
        private int _parts;
        private Exception? _failure;
        private int _started;
        private int _finished;
        private int _callerProcessor = -1;

        /// <summary>The processor this worker ran its last part on, or -1.</summary>
        public int LastProcessor = -1;

        public Worker(int index)
        {
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"Layerwise kernel worker {index}",
            };
            thread.Start();
        }

        public void Start(IPartitionedWork work, int part, int parts)
        {
            _work = work;
            _part = part;
            _parts = parts;
            _callerProcessor = ThreadPlacement.CurrentProcessor();
            Volatile.Write(ref _started, 1);
            _startSignal.Set();
        }

        public Exception? Join()
        {
            Await(ref _finished, _finishSignal);
            Exception? failure = _failure;
            _failure = null;
            return failure;
        }

        /// <summary>Waits until <paramref name="flag"/> is 1, spinning first, then clears it.</summary>
        private static void Await(ref int flag, AutoResetEvent signal)
        {
            var spinner = default(SpinWait);
            long deadline = 0;
            while (Volatile.Read(ref flag) == 0)
            {
                if (deadline == 0)
                {
                    deadline = Stopwatch.GetTimestamp() + SpinTicks;
                }

                if (Stopwatch.GetTimestamp() < deadline)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
                else
                {
                    signal.WaitOne();
                }
            }

            Volatile.Write(ref flag, 0);
        }

        private void Loop()
        {
            byte[]? allowed = ThreadPlacement.AllowedProcessors();
            while (true)
            {
                Await(ref _started, _startSignal);
                int processor = ThreadPlacement.CurrentProcessor();
                if (processor >= 0 && processor == _callerProcessor && ThreadPlacement.MoveOff(processor, allowed))
                {
                    Interlocked.Increment(ref s_workerMoves);
                    processor = ThreadPlacement.CurrentProcessor();
                }

                Volatile.Write(ref LastProcessor, processor);
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    _work!.Run(_part, _parts);
                }
                catch (Exception exception)
                {
                    _failure = exception;
                }

                Interlocked.Add(ref s_workerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - before);
                _work = null;
                Volatile.Write(ref _finished, 1);
                _finishSignal.Set();
            }
        }
    }
}

/// <summary>Work that can run in parts on several threads; each part writes outputs no other part touches.</summary>
internal interface IPartitionedWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>; part 0 of 1 is the whole work.</summary>
    void Run(int part, int parts);
}
