using System;
using System.Numerics;
using Layerwise.Kernels;

namespace Layerwise.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015) as PyTorch's <c>torch.optim.Adam</c>: m ← β₁m + (1−β₁)g,
/// v ← β₂v + (1−β₂)g², θ ← θ − η · m̂ / (√v̂ + ε) with the bias-corrected m̂ = m / (1−β₁ᵗ), v̂ = v / (1−β₂ᵗ).
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Configures Adam; the defaults are PyTorch's.</summary>
    /// <param name="learningRate">η, positive.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a positive finite number.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>β₁, the decay of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to √v̂ to keep the step finite.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override OptimizerState<T> CreateState<T>(int parameterCount) => new State<T>(this, parameterCount);

    private sealed unsafe class State<T> : OptimizerState<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Adam _settings;
        private readonly T[] _firstMoment;
        private readonly T[] _secondMoment;
        private readonly UpdateWork _work = new();

        public State(Adam settings, int parameterCount)
            : base(parameterCount)
        {
            _settings = settings;
            _firstMoment = new T[parameterCount];
            _secondMoment = new T[parameterCount];
        }

        protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, long step)
        {
            T beta1 = T.CreateChecked(_settings.Beta1);
            T beta2 = T.CreateChecked(_settings.Beta2);
            T oneMinusBeta1 = T.One - beta1;
            T oneMinusBeta2 = T.One - beta2;
            T epsilon = T.CreateChecked(_settings.Epsilon);

            // The bias corrections are computed in double, as PyTorch does on the CPU, then folded into
            // one step size and one divisor so the loop does two multiplications fewer per element.
            double correction1 = 1 - Math.Pow(_settings.Beta1, step);
            double correction2 = 1 - Math.Pow(_settings.Beta2, step);
            T stepSize = T.CreateChecked(_settings.LearningRate / correction1);
            T inverseSqrtCorrection2 = T.CreateChecked(1 / Math.Sqrt(correction2));
            UpdateWork work = _work;
            work.SetStep(beta1, beta2, stepSize, inverseSqrtCorrection2, epsilon);
            fixed (T* p = parameters)
            fixed (T* g = gradients)
            fixed (T* m = _firstMoment)
            fixed (T* v = _secondMoment)
            {
                work.Bind(p, g, m, v, parameters.Length, Partition);

                // Each element's update is independent, so a large network splits the buffer between cores. A square
                // root and a division per element count as about sixteen multiply-adds (an estimate).
                int parts = KernelThreads.PlanParts(16L * parameters.Length, parameters.Length, Vector<T>.Count);
                Partition?.Prepare(parts);
                KernelThreads.Run(work, parts);
            }
        }

        /// <summary>The update over a range of the flat buffers, as work that threads can share.</summary>
        private sealed class UpdateWork : IPartitionedWork
        {
            private T _beta1;
            private T _beta2;
            private T _stepSize;
            private T _inverseSqrtCorrection2;
            private T _epsilon;
            private T* _parameters;
            private T* _gradients;
            private T* _firstMoment;
            private T* _secondMoment;
            private int _length;
            private ParameterPartition? _partition;

            public void SetStep(T beta1, T beta2, T stepSize, T inverseSqrtCorrection2, T epsilon)
            {
                _beta1 = beta1;
                _beta2 = beta2;
                _stepSize = stepSize;
                _inverseSqrtCorrection2 = inverseSqrtCorrection2;
                _epsilon = epsilon;
            }

            public void Bind(T* parameters, T* gradients, T* firstMoment, T* secondMoment, int length, ParameterPartition? partition)
            {
                _parameters = parameters;
                _gradients = gradients;
                _firstMoment = firstMoment;
                _secondMoment = secondMoment;
                _length = length;
                _partition = partition;
            }

            public void Run(int part, int parts)
            {
                if (_partition is null)
                {
                    (int start, int end) = KernelThreads.PartRows(_length, part, parts, Vector<T>.Count);
                    Update(start, end);
                    return;
                }

                foreach ((int start, int end) in _partition.Ranges(part, parts))
                {
                    Update(start, end);
                }
            }

            /// <summary>Updates the parameters [start, end).</summary>
            private void Update(int start, int end)
            {
                T oneMinusBeta1 = T.One - _beta1;
                T oneMinusBeta2 = T.One - _beta2;
                int i = start;
                if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
                {
                    // The same update as the scalar loop below, one vector of parameters at a time.
                    var beta1Vector = new Vector<T>(_beta1);
                    var beta2Vector = new Vector<T>(_beta2);
                    var oneMinusBeta1Vector = new Vector<T>(oneMinusBeta1);
                    var oneMinusBeta2Vector = new Vector<T>(oneMinusBeta2);
                    var stepVector = new Vector<T>(_stepSize);
                    var correctionVector = new Vector<T>(_inverseSqrtCorrection2);
                    var epsilonVector = new Vector<T>(_epsilon);
                    for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
                    {
                        Vector<T> g = Vector.Load(_gradients + i);
                        Vector<T> m = (beta1Vector * Vector.Load(_firstMoment + i)) + (oneMinusBeta1Vector * g);
                        Vector<T> v = (beta2Vector * Vector.Load(_secondMoment + i)) + (oneMinusBeta2Vector * g * g);
                        m.Store(_firstMoment + i);
                        v.Store(_secondMoment + i);
                        Vector<T> update = stepVector * m / ((Vector.SquareRoot(v) * correctionVector) + epsilonVector);
                        (Vector.Load(_parameters + i) - update).Store(_parameters + i);
                    }
                }

                for (; i < end; i++)
                {
                    T g = _gradients[i];
                    T m = (_beta1 * _firstMoment[i]) + (oneMinusBeta1 * g);
                    T v = (_beta2 * _secondMoment[i]) + (oneMinusBeta2 * g * g);
                    _firstMoment[i] = m;
                    _secondMoment[i] = v;
                    _parameters[i] -= _stepSize * m / ((T.Sqrt(v) * _inverseSqrtCorrection2) + _epsilon);
                }
            }
        }
    }
}
