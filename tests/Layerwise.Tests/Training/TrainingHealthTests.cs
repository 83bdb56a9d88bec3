using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Layerwise.Data;
using Layerwise.Tests.Data;
using Layerwise.Training;
using Layerwise.Training.Health;
using Xunit;

namespace Layerwise.Tests.Training;

[Network(Loss.CrossEntropy)]
[Input(4)]
[Standardize]
[Dense(16, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet;

[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class DeepSigmoidNet;

[Network(Loss.MeanSquaredError)]
[Input(1)]
[Dense(8, Activation.ReLU)]
[Dense(1)]
public partial class LineNet;

[Network(Loss.MeanSquaredError)]
[Input(1)]
[Dense(8, Activation.ReLU)]
[Dense(1, Activation.ReLU)]
public partial class PositiveLineNet;

[Network(Loss.CrossEntropy)]
[Input(4)]
[Standardize]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class SaturatingIrisNet;

[Network(Loss.CrossEntropy)]
[Training(OptimizerKind.Sgd, LearningRate = 0.05, Momentum = 0.9, BatchSize = 16, Epochs = 3)]
[Input(4)]
[Standardize]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class DeclaredTrainingNet;

/// <summary>The LW3xxx training-health checks of Fit: each is provoked once, and a healthy run reports nothing.</summary>
public class TrainingHealthTests
{
    private static string IrisPath => Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");

    [Fact]
    public void HealthyRun_ReportsNothing()
    {
        Dataset<float> iris = CsvDataset.ReadClassification<float>(IrisPath, classCount: 3);

        IReadOnlyList<EpochReport> history = new IrisNet(seed: 1).Fit(
            iris, new TrainingOptions { Epochs = 30, BatchSize = 16, Seed = 1, Optimizer = new Adam(0.01) });

        Assert.All(history, report => Assert.Empty(report.Findings));
        Assert.True(history[^1].TrainingAccuracy > 0.9, $"accuracy {history[^1].TrainingAccuracy}");
    }

    [Fact]
    public void DeepSigmoidStack_ReportsVanishingGradients()
    {
        Dataset<float> digits = CsvDataset.ReadClassification<float>(CsvDatasetTests.DigitsPath, classCount: 10, featureScale: 1.0 / 16);

        IReadOnlyList<EpochReport> history = new DeepSigmoidNet(seed: 1).Fit(digits, new TrainingOptions { Epochs = 2, BatchSize = 32 });

        TrainingFinding vanishing = Assert.Single(history.SelectMany(report => report.Findings), finding => finding.Id == "LW3002");
        Assert.Equal(1, vanishing.Layer);
        Assert.Contains("Vanishing gradients", vanishing.Message);
    }

    [Fact]
    public void LargeLearningRate_StopsWithNonFiniteLoss()
    {
        Dataset<float> line = Line(count: 64, slope: 1000, offset: 0);

        var error = Assert.Throws<TrainingDivergedException>(
            () => new LineNet(seed: 1).Fit(line, new TrainingOptions { Epochs = 5, BatchSize = 8, Optimizer = new Sgd(10) }));

        Assert.StartsWith("LW3001: training diverged at epoch ", error.Message);
        Assert.Contains("learning rate too large for SGD (10", error.Message);
        Assert.InRange(error.Epoch, 1, 2);
        Assert.True(error.Step >= 1);
    }

    [Fact]
    public void HugeTargets_ReportExplodingGradients()
    {
        // Targets of 10,000 give mean-squared-error gradients of about 2·10⁴; Adam's small steps keep them finite.
        IReadOnlyList<EpochReport> history = new LineNet(seed: 1).Fit(
            Line(count: 32, slope: 0, offset: 10000), new TrainingOptions { Epochs = 1, Optimizer = new Adam(1e-4) });

        TrainingFinding exploding = Assert.Single(history[0].Findings, finding => finding.Id == "LW3003");
        Assert.Equal(1, exploding.Epoch);
        Assert.Contains(history[0].Findings, finding => finding.Id == "LW3007");
    }

    [Fact]
    public void NegativeBiases_ReportDeadReLU()
    {
        var network = new LineNet(seed: 1);
        Dataset<float> data = Line(count: 64, slope: 0.5, offset: 0);

        // A bias of −100 keeps every hidden unit's input negative, so no unit ever activates or learns.
        network.Parameters.Slice(8, 8).Fill(-100f);
        IReadOnlyList<EpochReport> history = network.Fit(data, new TrainingOptions { Epochs = 1 });

        TrainingFinding dead = Assert.Single(history[0].Findings, finding => finding.Id == "LW3004");
        Assert.Equal(1, dead.Layer);
        Assert.Contains("8 of 8 units", dead.Message);
    }

    [Fact]
    public void LargeWeights_ReportSaturation()
    {
        Dataset<float> iris = CsvDataset.ReadClassification<float>(IrisPath, classCount: 3);
        var network = new SaturatingIrisNet(seed: 1);

        // Weights 100 times larger than Glorot's push almost every sigmoid input beyond ±5.
        Span<float> weights = network.Parameters.Slice(0, 16 * 4);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] *= 100;
        }

        IReadOnlyList<EpochReport> history = network.Fit(iris, new TrainingOptions { Epochs = 1, Optimizer = new Adam(1e-5) });

        TrainingFinding saturated = Assert.Single(history[0].Findings, finding => finding.Id == "LW3005");
        Assert.Equal(2, saturated.Layer);
    }

    [Fact]
    public void RawDigits_ReportScaleAndConstantFeatures()
    {
        Dataset<float> digits = CsvDataset.ReadClassification<float>(CsvDatasetTests.DigitsPath, classCount: 10);

        IReadOnlyList<EpochReport> history = new DeepSigmoidNet(seed: 1).Fit(digits, new TrainingOptions { Epochs = 1 });

        TrainingFinding[] before = history[0].Findings.Where(finding => finding.Epoch == 0).ToArray();
        Assert.Contains(before, finding => finding.Id == "LW3006" && finding.Severity == FindingSeverity.Warning);
        TrainingFinding constant = Assert.Single(before, finding => finding.Id == "LW3009");
        Assert.Contains("feature 0", constant.Message);
    }

    [Fact]
    public void LargeTargets_ReportTargetScale()
    {
        IReadOnlyList<EpochReport> history = new LineNet(seed: 1).Fit(Line(count: 32, slope: 0.1, offset: 200), new TrainingOptions { Epochs = 1 });

        Assert.Contains(history[0].Findings, finding => finding.Id == "LW3007");
    }

    [Fact]
    public void NegativeTargetsAfterReLU_Reported()
    {
        IReadOnlyList<EpochReport> history = new PositiveLineNet(seed: 1).Fit(Line(count: 32, slope: 1, offset: -0.5), new TrainingOptions { Epochs = 1 });

        TrainingFinding finding = Assert.Single(history[0].Findings, finding => finding.Id == "LW3010");
        Assert.Equal(2, finding.Layer);
    }

    [Fact]
    public void AdamLearningRateOne_IsRejected()
    {
        Dataset<float> iris = CsvDataset.ReadClassification<float>(IrisPath, classCount: 3);

        var error = Assert.Throws<ArgumentException>(() => new IrisNet(seed: 1).Fit(iris, new TrainingOptions { Optimizer = new Adam(1) }));

        Assert.StartsWith("LW1013: the Adam learning rate 1 is 0.1 or more", error.Message);
    }

    [Fact]
    public void HighRMSpropRate_IsReportedBeforeTraining()
    {
        Dataset<float> iris = CsvDataset.ReadClassification<float>(IrisPath, classCount: 3);

        IReadOnlyList<EpochReport> history = new IrisNet(seed: 1).Fit(iris, new TrainingOptions { Epochs = 1, Optimizer = new RMSprop(0.05) });

        TrainingFinding finding = Assert.Single(history[0].Findings, finding => finding.Id == "LW1012");
        Assert.Equal(0, finding.Epoch);
    }

    /// <summary>The runtime check reads its limits from the file the analyzer's defaults come from, and names them.</summary>
    [Fact]
    public void LearningRateWarnings_NameTheLimit()
    {
        Assert.Contains("above 1e-2,", Assert.Single(LearningRateCheck.Check(new RMSprop(0.05))).Message);
        Assert.Contains("above 1,", Assert.Single(LearningRateCheck.Check(new Sgd(2))).Message);
        Assert.Contains("below 1e-7,", Assert.Single(LearningRateCheck.Check(new Adam(1e-8))).Message);
        Assert.Empty(LearningRateCheck.Check(new Adam(LearningRateLimits.AdaptiveWarning)));
        Assert.Throws<ArgumentException>(() => LearningRateCheck.Check(new AdamW(LearningRateLimits.AdaptiveError)));
    }

    [Fact]
    public void DeclaredTraining_FillsUnsetOptions()
    {
        Dataset<float> iris = CsvDataset.ReadClassification<float>(IrisPath, classCount: 3);
        Assert.Equal(new TrainingDefaults(OptimizerKind.Sgd, 0.05, 0.9, 16, 3), DeclaredTrainingNet.TrainingDefaults);

        IReadOnlyList<EpochReport> declared = new DeclaredTrainingNet(seed: 1).Fit(iris, new TrainingOptions());
        IReadOnlyList<EpochReport> overridden = new DeclaredTrainingNet(seed: 1).Fit(iris, new TrainingOptions { Epochs = 1 });
        IReadOnlyList<EpochReport> explicitSettings = new DeclaredTrainingNet(seed: 1).Fit(
            iris, new TrainingOptions { Epochs = 3, BatchSize = 16, Optimizer = new Sgd(0.05, momentum: 0.9) });

        Assert.Equal(3, declared.Count);
        Assert.Single(overridden);
        Assert.Equal(explicitSettings[^1].TrainingLoss, declared[^1].TrainingLoss);
    }

    [Fact]
    public void CheckHealthOff_ReportsNothing()
    {
        Dataset<float> digits = CsvDataset.ReadClassification<float>(CsvDatasetTests.DigitsPath, classCount: 10);

        IReadOnlyList<EpochReport> history = new DeepSigmoidNet(seed: 1).Fit(digits, new TrainingOptions { Epochs = 1, CheckHealth = false });

        Assert.Empty(history[0].Findings);
    }

    /// <summary>Samples of y = slope·x + offset for x evenly spaced in [0, 1), as a one-feature regression set.</summary>
    private static Dataset<float> Line(int count, double slope, double offset)
    {
        var x = new float[count];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (float)i / count;
            y[i] = (float)(slope * x[i] + offset);
        }

        return new Dataset<float>(x, 1, y, 1);
    }
}
