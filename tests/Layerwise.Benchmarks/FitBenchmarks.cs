using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Layerwise.Data;
using Layerwise.Kernels;
using Layerwise.Training;

namespace Layerwise.Benchmarks;

/// <summary>
/// A whole fit on the 8×8 digits: network B (64-128-64-10 ReLU), Adam at 1e-3, batch 32, 30 epochs, shuffled, on a
/// stratified 80% split (1,438 rows here, 1,437 in scikit-learn's split), the configuration <c>python_baselines.py</c>
/// gives scikit-learn and PyTorch.
/// With <see cref="EvaluateTrainingSet"/> off, the fit does what those libraries' fits do; on, it also passes over
/// the training set after every epoch to report its loss and accuracy.
/// </summary>
[MemoryDiagnoser]
public class FitBenchmarks
{
    private Dataset<float> _training = null!;
    private int _seed;

    [Params(false, true)]
    public bool EvaluateTrainingSet { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.MaxThreads = 1;
        string path = Path.Combine(RepositoryRoot(), "data", "digits.csv");
        (_training, _) = CsvDataset.ReadClassification<float>(path, classCount: 10, featureScale: 1.0 / 16)
            .StratifiedSplit(testFraction: 0.2, seed: 42);
    }

    [Benchmark]
    public double FitDigits()
    {
        var network = new NetworkB(seed: ++_seed);
        var options = new TrainingOptions
        {
            Epochs = 30,
            BatchSize = 32,
            Optimizer = new Adam(learningRate: 1e-3),
            Seed = _seed,
            EvaluateTrainingSet = EvaluateTrainingSet,
        };
        return network.Fit(_training, options)[^1].TrainingLoss;
    }

    /// <summary>Returns the folder that contains Generators.sln, searched upwards from the benchmark's own folder.</summary>
    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Generators.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} contains Generators.sln; run the benchmarks from a clone of the repository.");
    }
}
