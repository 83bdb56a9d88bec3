using System;
using Layerwise.Training;
using Xunit;

namespace Layerwise.Tests.Training;

public class OptimizerTests
{
    [Fact]
    public void Sgd_MomentumFollowsPyTorchRule()
    {
        OptimizerState<double> state = new Sgd(0.1, momentum: 0.9).CreateState<double>(1);
        double[] parameter = { 1.0 };

        state.Step(parameter, new[] { 0.5 });
        state.Step(parameter, new[] { 0.5 });

        // v1 = 0.5 → θ = 0.95; v2 = 0.9·0.5 + 0.5 = 0.95 → θ = 0.855.
        Assert.Equal(0.855, parameter[0], 12);
        Assert.Equal(2, state.StepCount);
    }

    [Fact]
    public void Sgd_WithoutMomentumIsPlainDescent()
    {
        OptimizerState<float> state = new Sgd(0.5).CreateState<float>(2);
        float[] parameters = { 1f, -1f };

        state.Step(parameters, new[] { 1f, 2f });

        Assert.Equal(new[] { 0.5f, -2f }, parameters);
    }

    [Fact]
    public void Adam_MatchesBiasCorrectedFormula()
    {
        var adam = new Adam(learningRate: 0.01);
        OptimizerState<double> state = adam.CreateState<double>(1);
        double[] parameter = { 0.3 };
        double[] gradients = { 0.2, -0.1, 0.4 };
        double expected = 0.3;
        double m = 0;
        double v = 0;

        for (int t = 1; t <= gradients.Length; t++)
        {
            state.Step(parameter, new[] { gradients[t - 1] });
            m = 0.9 * m + 0.1 * gradients[t - 1];
            v = 0.999 * v + 0.001 * gradients[t - 1] * gradients[t - 1];
            double mHat = m / (1 - Math.Pow(0.9, t));
            double vHat = v / (1 - Math.Pow(0.999, t));
            expected -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
        }

        Assert.Equal(expected, parameter[0], 12);
    }

    [Theory]
    [InlineData(37)]
    [InlineData(64)]
    public void Adam_VectorPathMatchesFormula(int count)
    {
        OptimizerState<double> state = new Adam(learningRate: 0.01).CreateState<double>(count);
        var parameters = new double[count];
        var expected = new double[count];
        var m = new double[count];
        var v = new double[count];
        for (int t = 1; t <= 3; t++)
        {
            var gradients = new double[count];
            for (int i = 0; i < count; i++)
            {
                gradients[i] = Math.Sin(i + t);
                m[i] = 0.9 * m[i] + 0.1 * gradients[i];
                v[i] = 0.999 * v[i] + 0.001 * gradients[i] * gradients[i];
                expected[i] -= 0.01 * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-8);
            }

            state.Step(parameters, gradients);
        }

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(expected[i], parameters[i], 12);
        }
    }

    [Fact]
    public void Adam_FirstStepMovesByLearningRate()
    {
        OptimizerState<float> state = new Adam(learningRate: 0.001).CreateState<float>(2);
        float[] parameters = { 0f, 0f };

        state.Step(parameters, new[] { 3f, -0.02f });

        Assert.Equal(-0.001f, parameters[0], 6);
        Assert.Equal(0.001f, parameters[1], 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LearningRate_MustBePositiveFinite(double learningRate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate));

        Assert.Equal("learningRate", error.ParamName);
    }

    [Fact]
    public void Momentum_MustBeBelowOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1, momentum: 1));
    }

    [Fact]
    public void Step_RejectsWrongLength()
    {
        OptimizerState<float> state = new Adam().CreateState<float>(3);

        var error = Assert.Throws<ArgumentException>(() => state.Step(new float[3], new float[2]));

        Assert.Equal("gradients", error.ParamName);
    }
}
