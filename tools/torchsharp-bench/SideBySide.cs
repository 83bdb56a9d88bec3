// Times network C's Adam step in Layerwise and in TorchSharp in alternate blocks of one process, so that both run in
// the same state of the machine. On the 2-core virtual machine of docs/benchmarks.md the two-thread time of either
// changed by a third or more within seconds, with the placement of the two processors, so runs a minute apart
// compare states as much as libraries.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Layerwise;
using Layerwise.Data;
using Layerwise.Kernels;
using Layerwise.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharpBench;

/// <summary>Network C for the Layerwise side: 784-256-128-10, ReLU, softmax cross-entropy, as in the benchmarks.</summary>
[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
internal partial class LayerwiseC;

/// <summary>
/// The side-by-side mode: rounds of one block of Layerwise steps and one block of TorchSharp steps, in alternating
/// order, each block about <see cref="BlockTime"/> long. Each round gives one ratio from two blocks run a fraction
/// of a second apart.
/// </summary>
internal static class SideBySide
{
    private const int Batch = 256;
    private static readonly TimeSpan BlockTime = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long each step runs before it is timed. The JIT compiles .NET code in tiers, and in the first second of a
    /// process Layerwise's one-thread step took up to twice its settled time.
    /// </summary>
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    /// <summary>Parses the arguments, runs every configuration and prints its rounds and summary.</summary>
    public static int Run(string[] args)
    {
        int rounds = 30;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--side-by-side":
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out int value) && value > 0:
                    rounds = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"Invalid argument '{args[i]}'. Usage: TorchSharpBench [--side-by-side [--rounds N]], N a positive count (default 30).");
                    return 2;
            }
        }

        Console.WriteLine($"Side by side: TorchSharp {typeof(torch).Assembly.GetName().Version}, .NET {Environment.Version}, " +
                          $"{Environment.ProcessorCount} CPUs, load average {Program.ReadLoadAverage()}");
        Console.WriteLine($"Network C, Adam, batch {Batch}: {rounds} rounds, each a block of about {BlockTime.TotalMilliseconds} ms per library, in alternating order.");
        foreach (int threads in new[] { 1, 2 })
        {
            foreach (bool mnist in new[] { false, true })
            {
                Compare(threads, mnist, rounds);
            }
        }

        return 0;
    }

    private static void Compare(int threads, bool mnist, int rounds)
    {
        KernelThreads.MaxThreads = threads;
        torch.set_num_threads(threads);
        var layerwise = new LayerwiseStep(mnist);
        using var reference = new TorchSharpAdamStep([784, 256, 128, 10], tanh: false, Batch, mnist);
        int layerwiseCalls = CallsPerBlock(layerwise.Step);
        int referenceCalls = CallsPerBlock(reference.Step);

        string inputs = mnist ? "MNIST" : "random inputs";
        Console.WriteLine();
        Console.WriteLine($"{threads} thread(s), {inputs}: round, Layerwise us, TorchSharp us, ratio");
        var layerwiseTimes = new double[rounds];
        var referenceTimes = new double[rounds];
        var ratios = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                layerwiseTimes[round] = MeanMicroseconds(layerwise.Step, layerwiseCalls);
                referenceTimes[round] = MeanMicroseconds(reference.Step, referenceCalls);
            }
            else
            {
                referenceTimes[round] = MeanMicroseconds(reference.Step, referenceCalls);
                layerwiseTimes[round] = MeanMicroseconds(layerwise.Step, layerwiseCalls);
            }

            ratios[round] = referenceTimes[round] / layerwiseTimes[round];
            Console.WriteLine($"  {round + 1,3} {layerwiseTimes[round],8:F0} {referenceTimes[round],8:F0} {ratios[round],6:F2}");
        }

        int atTarget = ratios.Count(ratio => ratio >= 1.3);
        Console.WriteLine(
            $"{threads} thread(s), {inputs}: median Layerwise {Median(layerwiseTimes):F0} us, TorchSharp {Median(referenceTimes):F0} us; " +
            $"ratio median {Median(ratios):F2}, lowest {ratios.Min():F2}, highest {ratios.Max():F2}, {atTarget} of {rounds} rounds at 1.3 or more");
    }

    /// <summary>
    /// Runs <paramref name="step"/> for <see cref="WarmUpTime"/>, then times one more block and returns how many calls
    /// fill a block at that speed.
    /// </summary>
    private static int CallsPerBlock(Action step)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < WarmUpTime)
        {
            step();
        }

        stopwatch.Restart();
        int calls = 0;
        while (stopwatch.Elapsed < BlockTime || calls < 3)
        {
            step();
            calls++;
        }

        return Math.Max(1, (int)(calls * BlockTime.TotalSeconds / stopwatch.Elapsed.TotalSeconds));
    }

    private static double MeanMicroseconds(Action step, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int call = 0; call < calls; call++)
        {
            step();
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// Layerwise's step as the benchmarks time it: gradients, then the Adam update. Random inputs are uniform in
    /// [0, 1); MNIST takes the four batches of 256 rows in turn.
    /// </summary>
    private sealed class LayerwiseStep
    {
        private readonly LayerwiseC _network = new(seed: 1);
        private readonly OptimizerState<float> _adam;
        private readonly float[] _gradients = new float[LayerwiseC.ParameterCount];
        private readonly float[] _inputs;
        private readonly int[] _labels;
        private int _batch;

        public LayerwiseStep(bool mnist)
        {
            _adam = new Layerwise.Training.Adam(1e-3).CreateState(_network);
            if (mnist)
            {
                string path = Path.Combine(Program.RepositoryRoot(), "data", "mnist-train-1024.csv.gz");
                Dataset<float> data = CsvDataset.ReadClassification<float>(path, classCount: 10, featureScale: 1.0 / 255);
                _inputs = data.Features.ToArray();
                _labels = data.Labels.ToArray();
            }
            else
            {
                var random = new Random(1);
                _inputs = Enumerable.Range(0, Batch * 784).Select(_ => (float)random.NextDouble()).ToArray();
                _labels = Enumerable.Range(0, Batch).Select(i => i % 10).ToArray();
            }
        }

        public void Step()
        {
            int start = _batch * Batch;
            _batch = (_batch + 1) % (_labels.Length / Batch);
            _network.ComputeGradients(_inputs.AsSpan(start * 784, Batch * 784), _labels.AsSpan(start, Batch), _gradients);
            _adam.Step(_network.Parameters, _gradients);
        }
    }
}
