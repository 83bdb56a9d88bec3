// Times TorchSharp (libtorch through .NET) on the configurations of the Layerwise benchmarks, as a reference point
// next to tests/Layerwise.Benchmarks/pytorch_bench.py: networks A = 4-16-16-3 tanh, B = 64-128-64-10 ReLU and
// C = 784-256-128-10 ReLU with softmax cross-entropy, float32. Measures the median of batch-1 inference (A, B, C) and
// of one Adam step (A at batch 32, C at batch 256), on one thread and on two. C's step runs on uniform random inputs
// and on MNIST: the four batches of 256 rows of data/mnist-train-1024.csv.gz in turn, pixels scaled to [0, 1].

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharpBench;

internal static class Program
{
    private const int Rounds = 7;
    private static readonly TimeSpan MinimumRoundTime = TimeSpan.FromMilliseconds(100);

    private static readonly (string Name, long[] Sizes, bool Tanh)[] Networks =
    {
        ("A", new long[] { 4, 16, 16, 3 }, true),
        ("B", new long[] { 64, 128, 64, 10 }, false),
        ("C", new long[] { 784, 256, 128, 10 }, false),
    };

    private static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length > 0)
        {
            return SideBySide.Run(args);
        }

        Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, .NET {Environment.Version}, " +
                          $"{Environment.ProcessorCount} CPUs, load average {ReadLoadAverage()}");
        Console.WriteLine($"Median over {Rounds} rounds of at least {MinimumRoundTime.TotalMilliseconds} ms each.");

        foreach (int threads in new[] { 1, 2 })
        {
            torch.set_num_threads(threads);
            foreach (var network in Networks)
            {
                double seconds = TimeInference(network.Sizes, network.Tanh);
                Console.WriteLine($"{threads} thread(s): inference {network.Name}, batch 1: {seconds * 1e6:F1} us");
            }

            foreach (var (name, batch, mnist) in new[] { ("A", 32, false), ("C", 256, false), ("C", 256, true) })
            {
                var network = Networks.Single(candidate => candidate.Name == name);
                double seconds = TimeAdamStep(network.Sizes, network.Tanh, batch, mnist);
                Console.WriteLine($"{threads} thread(s): Adam step {name}, batch {batch}{(mnist ? ", MNIST" : "")}: " +
                                  $"{seconds * 1e6:F1} us, {batch / seconds:N0} samples/s");
            }
        }

        return 0;
    }

    internal static Sequential BuildNetwork(long[] sizes, bool tanh)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < sizes.Length - 1; i++)
        {
            layers.Add(nn.Linear(sizes[i], sizes[i + 1]));
            if (i < sizes.Length - 2)
            {
                layers.Add(tanh ? nn.Tanh() : nn.ReLU());
            }
        }

        return nn.Sequential(layers.ToArray());
    }

    private static double TimeInference(long[] sizes, bool tanh)
    {
        torch.random.manual_seed(1);
        using Sequential model = BuildNetwork(sizes, tanh);
        model.eval();
        using Tensor sample = torch.rand(1, sizes[0]);
        using var noGrad = torch.no_grad();

        return MedianSeconds(() =>
        {
            // The scope disposes each call's intermediate and output tensors at once, not later in the finalizer.
            using var scope = torch.NewDisposeScope();
            model.forward(sample).softmax(1);
        });
    }

    private static double TimeAdamStep(long[] sizes, bool tanh, int batch, bool mnist)
    {
        using var step = new TorchSharpAdamStep(sizes, tanh, batch, mnist);
        return MedianSeconds(step.Step);
    }

    /// <summary>Reads data/mnist-train-1024.csv.gz of the repository into batches of pixels in [0, 1] and labels.</summary>
    internal static (Tensor Inputs, Tensor Labels)[] ReadMnistBatches(int batch)
    {
        string path = Path.Combine(RepositoryRoot(), "data", "mnist-train-1024.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        reader.ReadLine();
        var pixels = new List<float>();
        var labels = new List<long>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            string[] values = line.Split(',');
            pixels.AddRange(values[..^1].Select(value => float.Parse(value, CultureInfo.InvariantCulture) / 255));
            labels.Add(long.Parse(values[^1], CultureInfo.InvariantCulture));
        }

        int features = pixels.Count / labels.Count;
        var batches = new List<(Tensor, Tensor)>();
        for (int start = 0; start + batch <= labels.Count; start += batch)
        {
            batches.Add((
                torch.tensor(pixels.GetRange(start * features, batch * features).ToArray(), new long[] { batch, features }),
                torch.tensor(labels.GetRange(start, batch).ToArray())));
        }

        return batches.ToArray();
    }

    /// <summary>Returns the folder that contains Generators.sln, searched upwards from the tool's own folder.</summary>
    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Generators.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} contains Generators.sln.");
    }

    /// <summary>Returns the median seconds per call, with the calls per round sized from a timed warm-up.</summary>
    private static double MedianSeconds(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        int warmupCalls = 0;
        while (stopwatch.Elapsed < MinimumRoundTime || warmupCalls < 3)
        {
            action();
            warmupCalls++;
        }

        double warmupSeconds = stopwatch.Elapsed.TotalSeconds;
        int callsPerRound = Math.Max(1, (int)(warmupCalls * MinimumRoundTime.TotalSeconds / warmupSeconds));
        var roundSeconds = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            stopwatch.Restart();
            for (int call = 0; call < callsPerRound; call++)
            {
                action();
            }

            roundSeconds[round] = stopwatch.Elapsed.TotalSeconds / callsPerRound;
        }

        Array.Sort(roundSeconds);
        return roundSeconds[Rounds / 2];
    }

    internal static string ReadLoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? File.ReadAllText(path).Split(' ')[0] : "unknown";
    }
}
