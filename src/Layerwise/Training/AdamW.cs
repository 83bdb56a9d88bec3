using System;
using System.Numerics;

namespace Layerwise.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019) as PyTorch's <c>torch.optim.AdamW</c>: θ ← θ·(1 − η·λ) first, then the
/// Adam step θ ← θ − η · m̂ / (√v̂ + ε).
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly Adam _adam;

    /// <summary>Configures AdamW; the defaults are PyTorch's.</summary>
    /// <param name="learningRate">η, positive.</param>
    /// <param name="weightDecay">λ, zero or more.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public AdamW(double learningRate = 1e-3, double weightDecay = 1e-2, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(learningRate)
    {
        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be a finite number of 0 or more.");
        }

        _adam = new Adam(learningRate, beta1, beta2, epsilon);
        WeightDecay = weightDecay;
    }

    /// <summary>λ, the fraction of each weight removed per unit of learning rate.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override OptimizerState<T> CreateState<T>(int parameterCount) => new State<T>(this, parameterCount);

    private sealed class State<T> : OptimizerState<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly OptimizerState<T> _adam;
        private readonly T _decay;

        public State(AdamW settings, int parameterCount)
            : base(parameterCount)
        {
            _adam = settings._adam.CreateState<T>(parameterCount);
            _decay = T.One - T.CreateChecked(settings.LearningRate * settings.WeightDecay);
        }

        internal override void UsePartition(ParameterPartition partition)
        {
            base.UsePartition(partition);
            _adam.UsePartition(partition);
        }

        protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, long step)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] *= _decay;
            }

            _adam.Step(parameters, gradients);
        }
    }
}
