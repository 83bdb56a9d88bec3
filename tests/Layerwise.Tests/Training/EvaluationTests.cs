using System;
using Layerwise.Data;
using Layerwise.Tests.Generated;
using Layerwise.Tests.Networks;
using Layerwise.Training;
using Xunit;

namespace Layerwise.Tests.Training;

/// <summary>Evaluation reports each network's own loss: for networks without dropout, noise or BatchNorm it equals the training loss.</summary>
public class EvaluationTests
{
    [Theory]
    [InlineData("AdaptiveSlopeNet")]
    [InlineData("LearnedActivationsNet")]
    [InlineData("ExponentialActivationsNet")]
    [InlineData("SmoothActivationsNet")]
    public void Evaluate_MatchesTrainingLoss(string name)
    {
        INetwork<double> network = CatalogGradientTests.Factories[name]();
        double[] inputs = CatalogGradientTests.Inputs(network, 9);
        double[] targets = CatalogGradientTests.Targets(network, 9);
        var data = new Dataset<double>(inputs, network.InputSize, targets, network.OutputSize);

        double training = network.ComputeGradients(inputs, targets, new double[network.ParameterCount]);
        (double evaluated, _) = Evaluation.Evaluate(network, data);

        Assert.Equal(training, evaluated, 1e-9);
    }

    [Fact]
    public void Evaluate_MeanAbsoluteErrorIsNotSquared()
    {
        var network = new NormalizationNet(seed: 1);
        double[] inputs = CatalogGradientTests.Inputs(network, 4);
        var targets = new double[4 * NormalizationNet.OutputSize];
        var outputs = new double[targets.Length];
        network.Forward(inputs, outputs, 4);
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = outputs[i] + (i % 2 == 0 ? 3 : -3);
        }

        (double loss, _) = Evaluation.Evaluate(network, new Dataset<double>(inputs, NormalizationNet.InputSize, targets, NormalizationNet.OutputSize));

        Assert.Equal(3.0, loss, 1e-9);
    }

    [Fact]
    public void Evaluate_OneHotLossMatchesTrainingLoss()
    {
        // One-hot rows leave most log terms with zero weight, which the evaluation skips without changing the sum.
        var network = new ClassifierNet(seed: 3);
        const int Rows = 40;
        float[] inputs = TestData.Inputs(network, Rows, seed: 2);
        var labels = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            labels[i] = i % ClassifierNet.OutputSize;
        }

        Dataset<float> data = Dataset.FromLabels(inputs, ClassifierNet.InputSize, labels, ClassifierNet.OutputSize);
        double training = network.ComputeGradients(inputs, labels, new float[ClassifierNet.ParameterCount]);
        (double evaluated, double accuracy) = Evaluation.Evaluate(network, data);

        Assert.Equal(training, evaluated, 1e-5);
        Assert.InRange(accuracy, 0, 1);
    }

    [Fact]
    public void Evaluate_NaNOutputGivesNaNLoss()
    {
        // A NaN input makes every softmax output NaN, the classes of zero target weight too, and the loss keeps it.
        var network = new ClassifierNet(seed: 3);
        float[] inputs = TestData.Inputs(network, 2, seed: 2);
        inputs[3] = float.NaN;
        Dataset<float> data = Dataset.FromLabels(inputs, ClassifierNet.InputSize, new[] { 0, 1 }, ClassifierNet.OutputSize);

        (double loss, _) = Evaluation.Evaluate(network, data);

        Assert.True(double.IsNaN(loss));
    }
}
