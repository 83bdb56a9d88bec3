using System;
using System.Globalization;
using System.IO;
using Digits;
using Layerwise.Data;
using Layerwise.Training;

// Trains DigitsNet on the 8×8 digits data set (UCI, 1,797 images) and prints the test accuracy.
// The data file is copied next to the program, so it runs from any working folder.
string dataPath = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv");
Dataset<float> digits = CsvDataset.ReadClassification<float>(dataPath, classCount: 10, featureScale: 1.0 / 16);
(Dataset<float> training, Dataset<float> test) = digits.StratifiedSplit(testFraction: 0.2, seed: 42);
Console.WriteLine($"digits: {training.Count} training and {test.Count} test samples, {digits.FeatureCount} pixels each");

var network = new DigitsNet(seed: 1);
var options = new TrainingOptions
{
    Epochs = 30,
    BatchSize = 32,
    Optimizer = new Adam(learningRate: 1e-3),
    Seed = 1,
};

var progress = new SynchronousProgress<EpochReport>(report => Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"epoch {report.Epoch,2}: loss {report.TrainingLoss:F4}, accuracy {report.TrainingAccuracy:F4}, " +
    $"validation loss {report.ValidationLoss:F4}, validation accuracy {report.ValidationAccuracy:F4}, " +
    $"{report.SamplesPerSecond:F0} samples/s, {report.Elapsed.TotalSeconds:F1} s since the start")));
network.Fit(training, options, validation: test, progress: progress);

(double _, double accuracy) = Evaluation.Evaluate(network, test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {accuracy:F4}"));

/// <summary>Calls the handler on the reporting thread, so lines print in epoch order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
