using System;
using Layerwise.Kernels;
using Xunit;

namespace Layerwise.Tests.Kernels;

public class LossKernelTests
{
    [Fact]
    public void SoftmaxCrossEntropy_ExtremeLogitsStayFinite()
    {
        float[] logits = { 200f, -200f };
        var probabilities = new float[2];
        ActivationKernels.Softmax(logits, probabilities);
        var gradient = new float[2];

        float loss = LossKernels.SoftmaxCrossEntropy(logits, probabilities, label: 1, scale: 1f, gradient);

        Assert.Equal(400f, loss, 3);
        Assert.Equal(1f, gradient[0], 6);
        Assert.Equal(-1f, gradient[1], 6);
    }

    [Fact]
    public void SoftmaxCrossEntropy_RejectsLabelOutsideOutputs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => LossKernels.SoftmaxCrossEntropy(new float[3], new float[3], label: 3, scale: 1f, new float[3]));
    }

    [Fact]
    public void SigmoidBinaryCrossEntropy_ExtremeLogitsStayFinite()
    {
        float[] logits = { 100f, -100f };
        float[] probabilities = { 1f, 0f };
        float[] targets = { 0f, 1f };
        var gradient = new float[2];

        float loss = LossKernels.SigmoidBinaryCrossEntropy(logits, probabilities, targets, scale: 0.5f, gradient);

        Assert.Equal(200f, loss, 3);
        Assert.Equal(0.5f, gradient[0]);
        Assert.Equal(-0.5f, gradient[1]);
    }

    [Fact]
    public void MeanSquaredError_SumAndScaledGradient()
    {
        float[] output = { 1f, 2f };
        float[] target = { 0f, 4f };
        var gradient = new float[2];

        float loss = LossKernels.MeanSquaredError(output, target, scale: 0.25f, gradient);

        Assert.Equal(5f, loss);
        Assert.Equal(new[] { 0.5f, -1f }, gradient);
    }
}
