using System;
using System.Numerics;

namespace Layerwise.Training;

/// <summary>
/// RMSprop as PyTorch's <c>torch.optim.RMSprop</c> without momentum: v ← α·v + (1 − α)·g², θ ← θ − η·g / (√v + ε).
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Configures RMSprop; the defaults are PyTorch's.</summary>
    /// <param name="learningRate">η, positive.</param>
    /// <param name="alpha">α, the decay of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public RMSprop(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8)
        : base(learningRate)
    {
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1).");
        }

        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a positive finite number.");
        }

        Alpha = alpha;
        Epsilon = epsilon;
    }

    /// <summary>α, the decay of the running average of squared gradients.</summary>
    public double Alpha { get; }

    /// <summary>ε, added to √v to keep the step finite.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override OptimizerState<T> CreateState<T>(int parameterCount) => new State<T>(this, parameterCount);

    private sealed class State<T> : OptimizerState<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _learningRate;
        private readonly T _alpha;
        private readonly T _epsilon;
        private readonly T[] _squares;

        public State(RMSprop settings, int parameterCount)
            : base(parameterCount)
        {
            _learningRate = T.CreateChecked(settings.LearningRate);
            _alpha = T.CreateChecked(settings.Alpha);
            _epsilon = T.CreateChecked(settings.Epsilon);
            _squares = new T[parameterCount];
        }

        protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, long step)
        {
            T keep = T.One - _alpha;
            for (int i = 0; i < parameters.Length; i++)
            {
                T g = gradients[i];
                T v = _alpha * _squares[i] + keep * g * g;
                _squares[i] = v;
                parameters[i] -= _learningRate * g / (T.Sqrt(v) + _epsilon);
            }
        }
    }
}
