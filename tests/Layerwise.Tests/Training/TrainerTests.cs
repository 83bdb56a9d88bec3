using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Layerwise.Data;
using Layerwise.Tests.Data;
using Layerwise.Tests.Networks;
using Layerwise.Training;
using Xunit;

namespace Layerwise.Tests.Training;

/// <summary>A network declared exactly as the digits sample declares it.</summary>
[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(128, Activation.ReLU)]
[LayerNorm]
[Dense(64, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class DigitsNet;

/// <summary>Digits with the input standardized, batch normalization and dropout.</summary>
[Network(Loss.CrossEntropy)]
[Input(64)]
[Standardize]
[Dense(32, Activation.Identity, Bias = false)]
[BatchNorm]
[Activation(Activation.ReLU)]
[Dropout(0.1)]
[Dense(10, Activation.Softmax)]
public partial class DigitsBatchNormNet;

public class TrainerTests
{
    [Fact]
    public void Digits_ReachesPublishedAccuracy()
    {
        (Dataset<float> training, Dataset<float> test) = LoadDigits();
        var network = new DigitsNet(seed: 1);

        IReadOnlyList<EpochReport> history = network.Fit(training, new TrainingOptions { Epochs = 30, BatchSize = 32, Seed = 1 });
        (double _, double accuracy) = Evaluation.Evaluate(network, test);

        // The acceptance bar for a small MLP on the 8×8 digits; this configuration measured 0.9889.
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy:F4}");
        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss);
    }

    [Fact]
    public void Fit_ReportsEveryEpoch()
    {
        (Dataset<float> training, Dataset<float> test) = LoadDigits();
        var reports = new List<EpochReport>();

        IReadOnlyList<EpochReport> history = new DigitsNet(seed: 2).Fit(
            training, new TrainingOptions { Epochs = 3, BatchSize = 64 }, validation: test, progress: new ListProgress(reports));

        Assert.Equal(3, history.Count);
        Assert.Equal(history, reports);
        Assert.Equal(new[] { 1, 2, 3 }, new[] { reports[0].Epoch, reports[1].Epoch, reports[2].Epoch });
        Assert.All(reports, report => Assert.NotNull(report.ValidationLoss));
        Assert.All(reports, report => Assert.InRange(report.TrainingAccuracy, 0, 1));
        Assert.All(reports, report => Assert.True(report.SamplesPerSecond > 0));
        Assert.True(reports[2].Elapsed >= reports[0].Elapsed);
    }

    [Fact]
    public void Fit_SameSeedSameParameters()
    {
        (Dataset<float> training, _) = LoadDigits();
        var first = new DigitsNet(seed: 3);
        var second = new DigitsNet(seed: 3);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 50, Seed = 9, Optimizer = new Sgd(0.05, momentum: 0.9) };

        first.Fit(training, options);
        second.Fit(training, options);

        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
    }

    [Fact]
    public void Fit_CancellationStopsTraining()
    {
        (Dataset<float> training, _) = LoadDigits();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(
            () => new DigitsNet(seed: 1).Fit(training, new TrainingOptions { Epochs = 1 }, cancellationToken: cancellation.Token));
    }

    [Fact]
    public void Fit_RejectsLabelsWiderThanOutput()
    {
        Dataset<float> data = Dataset.FromLabels(new float[4 * 12], 12, new[] { 0, 1, 6, 2 }, classCount: 7);

        var error = Assert.Throws<ArgumentException>(() => new ClassifierNet(seed: 1).Fit(data, new TrainingOptions()));

        Assert.Contains("LW3008: the largest label is 6, but the output layer has 4 unit(s)", error.Message);
    }

    [Fact]
    public void Fit_RejectsFeatureWidthMismatch()
    {
        Dataset<float> data = Dataset.FromLabels(new float[4 * 10], 10, new[] { 0, 1, 2, 3 }, classCount: 4);

        var error = Assert.Throws<ArgumentException>(() => new ClassifierNet(seed: 1).Fit(data, new TrainingOptions()));

        Assert.Contains("10 features per sample, but the network takes 12 inputs", error.Message);
    }

    [Theory]
    [InlineData(0, 32)]
    [InlineData(1, 0)]
    public void Fit_RejectsInvalidOptions(int epochs, int batchSize)
    {
        Dataset<float> data = Dataset.FromLabels(new float[12], 12, new[] { 0 }, classCount: 4);

        Assert.Throws<ArgumentOutOfRangeException>(
            () => new ClassifierNet(seed: 1).Fit(data, new TrainingOptions { Epochs = epochs, BatchSize = batchSize }));
    }

    [Fact]
    public void Fit_RegressionReportsNaNAccuracy()
    {
        var random = new Random(1);
        var features = new float[40 * 5];
        var targets = new float[40 * 3];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (float)random.NextDouble();
        }

        var data = new Dataset<float>(features, 5, targets, 3);

        IReadOnlyList<EpochReport> history = new RegressionNet(seed: 1).Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 7 });

        Assert.True(double.IsNaN(history[0].TrainingAccuracy));
        Assert.True(history[1].TrainingLoss < history[0].TrainingLoss);
    }

    [Fact]
    public void Fit_WithoutTrainingSetPass_ReportsBatchLosses()
    {
        (Dataset<float> training, Dataset<float> _) = CsvDataset.ReadClassification<float>(CsvDatasetTests.DigitsPath, classCount: 10, featureScale: 1.0 / 16)
            .StratifiedSplit(testFraction: 0.2, seed: 42);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 1 };

        var withoutPass = new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 1, EvaluateTrainingSet = false };

        IReadOnlyList<EpochReport> evaluated = new DigitsNet(seed: 1).Fit(training, options);
        IReadOnlyList<EpochReport> batchLosses = new DigitsNet(seed: 1).Fit(training, withoutPass);

        // The same seed trains the same weights either way; only what the report measures differs.
        Assert.All(batchLosses, report => Assert.True(double.IsNaN(report.TrainingAccuracy)));
        Assert.True(batchLosses[2].TrainingLoss < batchLosses[0].TrainingLoss);
        Assert.NotEqual(evaluated[0].TrainingLoss, batchLosses[0].TrainingLoss);
        Assert.InRange(batchLosses[0].TrainingLoss, evaluated[0].TrainingLoss, 10 * evaluated[0].TrainingLoss);
    }

    [Fact]
    public void Fit_StandardizesAndTrainsBatchNorm()
    {
        (Dataset<float> training, Dataset<float> test) = CsvDataset.ReadClassification<float>(CsvDatasetTests.DigitsPath, classCount: 10)
            .StratifiedSplit(0.2, seed: 42);
        var network = new DigitsBatchNormNet(seed: 1);

        network.Fit(training, new TrainingOptions { Epochs = 10, BatchSize = 32, Seed = 1 });
        (double _, double accuracy) = Evaluation.Evaluate(network, test);

        // Raw pixels (0 to 16) reach the network unscaled: the Standardize layer fitted them.
        Assert.True(accuracy >= 0.9, $"test accuracy {accuracy:F4}");
        double mean = 0;
        for (int sample = 0; sample < training.Count; sample++)
        {
            mean += training.GetFeatures(sample)[20];
        }

        mean /= training.Count;
        Assert.Equal(mean, network.State[20], 4);
        Assert.True(network.State[64 + 20] > 1);
        Assert.NotEqual(0f, network.State[128]);
    }

    [Fact]
    public void Fit_BatchNormRejectsBatchOfOne()
    {
        (Dataset<float> training, _) = LoadDigits();

        var error = Assert.Throws<ArgumentException>(
            () => new DigitsBatchNormNet(seed: 1).Fit(training, new TrainingOptions { Epochs = 1, BatchSize = 1 }));

        Assert.Contains("needs at least 2 samples per batch", error.Message);
    }

    [Fact]
    public void Fit_BatchNormSkipsLastSingleSample()
    {
        (Dataset<float> training, _) = LoadDigits();
        Dataset<float> subset = training.Select(Enumerable.Range(0, 33).ToArray());

        IReadOnlyList<EpochReport> history = new DigitsBatchNormNet(seed: 1).Fit(subset, new TrainingOptions { Epochs = 2, BatchSize = 32 });

        Assert.Equal(2, history.Count);
    }

    private static (Dataset<float> Training, Dataset<float> Test) LoadDigits() =>
        CsvDataset.ReadClassification<float>(CsvDatasetTests.DigitsPath, classCount: 10, featureScale: 1.0 / 16)
            .StratifiedSplit(0.2, seed: 42);

    private sealed class ListProgress(List<EpochReport> reports) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => reports.Add(value);
    }
}
