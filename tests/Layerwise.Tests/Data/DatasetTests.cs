using System;
using System.Linq;
using Layerwise.Data;
using Xunit;

namespace Layerwise.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void StratifiedSplit_KeepsClassProportions()
    {
        Dataset<float> digits = CsvDataset.ReadClassification<float>(CsvDatasetTests.DigitsPath, classCount: 10);

        (Dataset<float> training, Dataset<float> test) = digits.StratifiedSplit(0.2, seed: 42);

        Assert.Equal(digits.Count, training.Count + test.Count);
        for (int c = 0; c < 10; c++)
        {
            int total = digits.Labels.ToArray().Count(label => label == c);
            int inTest = test.Labels.ToArray().Count(label => label == c);
            Assert.Equal((int)Math.Round(0.2 * total, MidpointRounding.AwayFromZero), inTest);
        }
    }

    [Fact]
    public void StratifiedSplit_SameSeedSameSplit()
    {
        Dataset<float> data = Dataset.FromLabels(Enumerable.Range(0, 40).Select(i => (float)i).ToArray(), 1, Enumerable.Range(0, 40).Select(i => i % 2).ToArray(), 2);

        float[] first = data.StratifiedSplit(0.25, seed: 7).Test.Features.ToArray();
        float[] second = data.StratifiedSplit(0.25, seed: 7).Test.Features.ToArray();
        float[] other = data.StratifiedSplit(0.25, seed: 8).Test.Features.ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void StratifiedSplit_WithoutLabels_Throws()
    {
        var data = new Dataset<float>(new float[4], 2, new float[2], 1);

        Assert.Throws<InvalidOperationException>(() => data.StratifiedSplit(0.5, seed: 1));
    }

    [Fact]
    public void FromLabels_SingleOutputUsesLabelAsTarget()
    {
        Dataset<float> data = Dataset.FromLabels(new float[] { 1, 2, 3 }, 1, new[] { 0, 1, 1 }, classCount: 1);

        Assert.Equal(new[] { 0f, 1f, 1f }, data.Targets.ToArray());
    }

    [Fact]
    public void FromLabels_RejectsLabelOutOfRange()
    {
        var error = Assert.Throws<ArgumentException>(() => Dataset.FromLabels(new float[2], 1, new[] { 0, 3 }, classCount: 3));

        Assert.Contains("Label 3 at index 1 is outside [0, 3)", error.Message);
    }

    [Fact]
    public void Constructor_RejectsMismatchedTargets()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dataset<float>(new float[6], 2, new float[4], 1));

        Assert.Equal("targets", error.ParamName);
    }
}
