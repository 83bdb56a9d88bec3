using System;
using System.Numerics;

namespace Layerwise.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, as PyTorch's <c>torch.optim.SGD</c> without
/// dampening: v ← μ·v + g, then θ ← θ − η·v (with μ = 0, θ ← θ − η·g).
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Configures SGD.</summary>
    /// <param name="learningRate">η, positive.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Sgd(double learningRate, double momentum = 0)
        : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        Momentum = momentum;
    }

    /// <summary>μ, the fraction of the previous velocity kept at each step.</summary>
    public double Momentum { get; }

    /// <inheritdoc/>
    public override OptimizerState<T> CreateState<T>(int parameterCount) => new State<T>(this, parameterCount);

    private sealed class State<T> : OptimizerState<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _learningRate;
        private readonly T _momentum;
        private readonly T[] _velocity;

        public State(Sgd settings, int parameterCount)
            : base(parameterCount)
        {
            _learningRate = T.CreateChecked(settings.LearningRate);
            _momentum = T.CreateChecked(settings.Momentum);
            _velocity = settings.Momentum == 0 ? Array.Empty<T>() : new T[parameterCount];
        }

        protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, long step)
        {
            if (_velocity.Length == 0)
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    parameters[i] -= _learningRate * gradients[i];
                }

                return;
            }

            for (int i = 0; i < parameters.Length; i++)
            {
                T velocity = _momentum * _velocity[i] + gradients[i];
                _velocity[i] = velocity;
                parameters[i] -= _learningRate * velocity;
            }
        }
    }
}
