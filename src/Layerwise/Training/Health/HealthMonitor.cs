using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using Layerwise.Data;

namespace Layerwise.Training.Health;

/// <summary>
/// The training-health checks of <see cref="Trainer.Fit{T}"/>: the data before the first step, every step's loss and
/// gradients, and the hidden activations after every epoch. Each problem is reported once per layer.
/// </summary>
internal sealed class HealthMonitor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly INetwork<T> _network;
    private readonly Dataset<T> _training;
    private readonly double _learningRate;
    private readonly string _optimizerName;
    private const int LayerNormInterval = 8;

    private readonly bool _reportFindings;
    private readonly bool _standardized;
    private readonly HashSet<(string Id, int? Layer)> _reported = new();
    private readonly List<TrainingFinding> _pending = new();
    private readonly T[] _record;
    private readonly int _firstDense = -1;
    private readonly int _lastDense = -1;
    private double _firstNormSum;
    private double _lastNormSum;
    private double _largestNorm;
    private int _steps;

    /// <param name="network">The network being trained.</param>
    /// <param name="training">The training data.</param>
    /// <param name="optimizer">The optimizer settings, named in the LW3001 message.</param>
    /// <param name="reportFindings">
    /// False turns off every finding; training still stops with LW3001 on a non-finite loss or gradient.
    /// </param>
    public HealthMonitor(INetwork<T> network, Dataset<T> training, Optimizer optimizer, bool reportFindings)
    {
        _reportFindings = reportFindings;
        _network = network;
        _training = training;
        _learningRate = optimizer.LearningRate;
        _optimizerName = optimizer is Sgd ? "SGD" : optimizer.GetType().Name;
        _record = new T[network.RecordSize];
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerDescription layer = network.Layers[i];
            _standardized |= layer.Kind == LayerKind.Standardize;

            // A frozen layer's gradient is zero by design, so it cannot show vanishing gradients.
            if (layer.Kind == LayerKind.Dense && !layer.Frozen)
            {
                _firstDense = _firstDense < 0 ? i : _firstDense;
                _lastDense = i;
            }
        }
    }

    /// <summary>Checks the training data and settings before the first step (epoch 0 findings).</summary>
    public void CheckBeforeTraining(IReadOnlyList<TrainingFinding> settingFindings)
    {
        foreach (TrainingFinding finding in settingFindings)
        {
            Add(finding);
        }

        int features = _training.FeatureCount;
        bool standardized = _standardized;

        var constant = new List<int>();
        double worstScale = 0;
        int worstFeature = -1;
        for (int j = 0; j < features; j++)
        {
            (double mean, double deviation) = ColumnStatistics(_training.Features, features, j);
            if (deviation == 0)
            {
                constant.Add(j);
            }

            double scale = Math.Abs(mean) + deviation;
            if (scale > worstScale)
            {
                worstScale = scale;
                worstFeature = j;
            }
        }

        if (constant.Count > 0)
        {
            Add(new TrainingFinding(
                "LW3009",
                FindingSeverity.Info,
                $"{constant.Count} of {features} input features are constant over the training data (feature {string.Join(", ", constant.GetRange(0, Math.Min(constant.Count, 8)))}{(constant.Count > 8 ? ", …" : string.Empty)}); they carry no information for the network to learn from, so consider removing them.",
                0));
        }

        if (!standardized && worstScale > HealthThresholds.UnitScale)
        {
            Add(new TrainingFinding(
                "LW3006",
                FindingSeverity.Warning,
                $"Input feature {worstFeature} has |mean| + standard deviation {Format(worstScale)}, far from unit scale, and the network has no [Standardize] layer; add [Standardize] after [Input] or scale the features to about [-1, 1].",
                0));
        }

        if (_network.Loss is Loss.MeanSquaredError or Loss.MeanAbsoluteError or Loss.Huber)
        {
            CheckRegressionTargets();
        }
    }

    /// <summary>Stops training with LW3001 when the loss or a gradient is not finite, and gathers gradient norms.</summary>
    public void CheckStep(T loss, ReadOnlySpan<T> gradients, ReadOnlySpan<T> batchInputs, ReadOnlySpan<T> batchTargets, int epoch, long step)
    {
        // One pass gives the norm for LW3003 and detects any NaN or infinity, which makes it non-finite; only then
        // does a second pass look for the layer.
        double norm = Norm(gradients);
        int? layer = double.IsFinite(norm) ? null : FirstNonFiniteLayer(gradients);
        if (!T.IsFinite(loss) || layer is not null)
        {
            double largestInput = LargestMagnitude(batchInputs);
            double largestTarget = LargestMagnitude(batchTargets);

            string where = layer is null or 0
                ? "every gradient is still finite, so the loss itself overflowed"
                : $"the first non-finite gradient is in layer {layer} [{_network.Layers[layer.Value - 1].Kind}]";
            string scale = $"the largest |input| in this batch is {Format(largestInput)} and the largest |target| {Format(largestTarget)}";
            string inputs = _standardized
                ? $"unscaled targets ({scale}; the inputs are measured before [Standardize])"
                : $"unscaled inputs or targets ({scale}; add [Standardize] after [Input] and scale the targets to about unit size)";
            string causes = step <= 1
                ? $"No update has run yet, so the likely cause is the data: {inputs}."
                : $"Likely causes: a learning rate too large for {_optimizerName} ({Format(_learningRate)}; try a tenth of it), or {inputs}.";
            throw new TrainingDivergedException(
                $"LW3001: training diverged at epoch {epoch}, step {step}: the loss is {double.CreateTruncating(loss).ToString(CultureInfo.InvariantCulture)} and {where}. {causes}",
                epoch,
                step,
                layer,
                TakePending());
        }

        _largestNorm = Math.Max(_largestNorm, norm);

        // The layer norms of LW3002 are averaged over every eighth step, which keeps their cost off most steps.
        if (_firstDense < 0 || step % LayerNormInterval != 1)
        {
            return;
        }

        _firstNormSum += WeightGradientNorm(gradients, _network.Layers[_firstDense]);
        _lastNormSum += WeightGradientNorm(gradients, _network.Layers[_lastDense]);
        _steps++;
    }

    /// <summary>Checks the epoch's gradients and hidden activations and returns the findings not reported before.</summary>
    public IReadOnlyList<TrainingFinding> EndEpoch(int epoch)
    {
        if (!_reportFindings)
        {
            return Array.Empty<TrainingFinding>();
        }

        // NOTE: weight-gradient norms grow with the size of the layer's input, so unscaled inputs can lift the first
        // layer's norm above the limit while its gradients still vanish; LW3006 reports such inputs.
        if (_steps > 0 && _firstDense != _lastDense)
        {
            double first = _firstNormSum / _steps;
            double last = _lastNormSum / _steps;
            if (last > 0 && first / last < HealthThresholds.VanishingRatio && first < HealthThresholds.VanishingFirstLayerNorm)
            {
                Add(new TrainingFinding(
                    "LW3002",
                    FindingSeverity.Warning,
                    $"Vanishing gradients: the first Dense layer's weight gradients average a norm of {Format(first)}, {Format(first / last)} times the last Dense layer's {Format(last)}, so the first layers barely learn; insert [LayerNorm] between saturating layers, use ReLU or GELU, or add residual connections.",
                    epoch,
                    _firstDense + 1));
            }
        }

        if (_largestNorm > HealthThresholds.ExplodingNorm)
        {
            Add(new TrainingFinding(
                "LW3003",
                FindingSeverity.Warning,
                $"Exploding gradients: the gradient norm reached {Format(_largestNorm)}, above {Format(HealthThresholds.ExplodingNorm)}; lower the learning rate, standardize the inputs and targets, or add normalization layers.",
                epoch));
        }

        _firstNormSum = 0;
        _lastNormSum = 0;
        _largestNorm = 0;
        _steps = 0;
        CheckActivations(epoch);

        TrainingFinding[] findings = _pending.ToArray();
        _pending.Clear();
        return findings;
    }

    /// <summary>Returns the findings added since the last epoch ended, for an exception that stops training early.</summary>
    public IReadOnlyList<TrainingFinding> TakePending()
    {
        TrainingFinding[] findings = _pending.ToArray();
        _pending.Clear();
        return findings;
    }

    private void CheckRegressionTargets()
    {
        int targets = _training.TargetCount;
        double worstScale = 0;
        double lowest = double.PositiveInfinity;
        for (int k = 0; k < targets; k++)
        {
            (double mean, double deviation) = ColumnStatistics(_training.Targets, targets, k);
            worstScale = Math.Max(worstScale, Math.Abs(mean) + deviation);
        }

        foreach (T value in _training.Targets)
        {
            lowest = Math.Min(lowest, double.CreateTruncating(value));
        }

        if (worstScale > HealthThresholds.UnitScale)
        {
            Add(new TrainingFinding(
                "LW3007",
                FindingSeverity.Warning,
                $"Regression targets have |mean| + standard deviation up to {Format(worstScale)}, far from unit scale, so the output layer must learn large weights and the loss is hard to compare across problems; standardize the targets before training and undo it on the predictions.",
                0));
        }

        LayerDescription output = _network.Layers[_network.Layers.Count - 1];
        if (lowest < 0 && output.Activation is Activation.ReLU or Activation.Sigmoid or Activation.Softmax or Activation.Softplus)
        {
            Add(new TrainingFinding(
                "LW3010",
                FindingSeverity.Warning,
                $"Some regression targets are negative (down to {Format(lowest)}), but the output layer's {output.Activation} can only produce values of 0 or more; use Activation.Identity on the output layer.",
                0,
                _network.Layers.Count));
        }
    }

    private void CheckActivations(int epoch)
    {
        int samples = Math.Min(_training.Count, HealthThresholds.ActivationSamples);
        IReadOnlyList<LayerDescription> layers = _network.Layers;
        var active = new int[layers.Count][];
        var saturated = new long[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            active[i] = IsReLU(layers[i]) ? new int[layers[i].OutputSize] : Array.Empty<int>();
        }

        T sigmoidLow = T.CreateTruncating(1 / (1 + Math.Exp(HealthThresholds.SaturationInput)));
        T sigmoidHigh = T.One - sigmoidLow;
        T tanhHigh = T.CreateTruncating(Math.Tanh(HealthThresholds.SaturationInput));
        for (int sample = 0; sample < samples; sample++)
        {
            // Spread the sampled rows over the whole set, not just its start.
            int row = (int)((long)sample * _training.Count / samples);
            _network.ForwardLayers(_training.GetFeatures(row), _record);
            for (int i = 0; i < layers.Count; i++)
            {
                LayerDescription layer = layers[i];
                ReadOnlySpan<T> output = _record.AsSpan(layer.RecordOffset, layer.OutputSize);
                if (active[i].Length > 0)
                {
                    for (int unit = 0; unit < output.Length; unit++)
                    {
                        active[i][unit] += output[unit] > T.Zero ? 1 : 0;
                    }
                }
                else if (IsHiddenSaturating(layer, i))
                {
                    foreach (T value in output)
                    {
                        bool isSaturated = layer.Activation == Activation.Sigmoid
                            ? value < sigmoidLow || value > sigmoidHigh
                            : T.Abs(value) > tanhHigh;
                        saturated[i] += isSaturated ? 1 : 0;
                    }
                }
            }
        }

        for (int i = 0; i < layers.Count; i++)
        {
            if (active[i].Length > 0)
            {
                int dead = 0;
                foreach (int count in active[i])
                {
                    dead += count < HealthThresholds.DeadUnitActivity * samples ? 1 : 0;
                }

                if (dead > HealthThresholds.LayerShare * active[i].Length)
                {
                    Add(new TrainingFinding(
                        "LW3004",
                        FindingSeverity.Warning,
                        $"Dead ReLU units: {dead} of {active[i].Length} units of layer {i + 1} were active on fewer than 1% of {samples} training samples, so they pass nothing on and get no gradient; lower the learning rate, use He initialization, or use LeakyReLU or GELU.",
                        epoch,
                        i + 1));
                }
            }
            else if (IsHiddenSaturating(layers[i], i) && saturated[i] > HealthThresholds.LayerShare * samples * layers[i].OutputSize)
            {
                Add(new TrainingFinding(
                    "LW3005",
                    FindingSeverity.Warning,
                    $"Saturated {layers[i].Activation}: {Format(100.0 * saturated[i] / ((double)samples * layers[i].OutputSize))}% of layer {i + 1}'s values come from inputs beyond ±{HealthThresholds.SaturationInput}, where the derivative is nearly 0; standardize the inputs, insert [LayerNorm] before the layer, or use ReLU or GELU.",
                    epoch,
                    i + 1));
            }
        }
    }

    private bool IsHiddenSaturating(LayerDescription layer, int index) =>
        layer.Activation is Activation.Sigmoid or Activation.Tanh
        && layer.Kind is LayerKind.Dense or LayerKind.Activation
        && index < _lastDense;

    private static bool IsReLU(LayerDescription layer) =>
        layer.Activation == Activation.ReLU && layer.Kind is LayerKind.Dense or LayerKind.Activation;

    private int? FirstNonFiniteLayer(ReadOnlySpan<T> gradients)
    {
        for (int i = 0; i < gradients.Length; i++)
        {
            if (!T.IsFinite(gradients[i]))
            {
                IReadOnlyList<LayerDescription> layers = _network.Layers;
                for (int l = 0; l < layers.Count; l++)
                {
                    if (i >= layers[l].ParameterOffset && i < layers[l].ParameterOffset + layers[l].ParameterCount)
                    {
                        return l + 1;
                    }
                }

                // Every parameter belongs to a layer, so this is not reached; 0 reads as "some gradient".
                return 0;
            }
        }

        return null;
    }

    private static double LargestMagnitude(ReadOnlySpan<T> values)
    {
        double largest = 0;
        foreach (T value in values)
        {
            largest = Math.Max(largest, Math.Abs(double.CreateTruncating(value)));
        }

        return largest;
    }

    private static double WeightGradientNorm(ReadOnlySpan<T> gradients, LayerDescription layer) =>
        Norm(gradients.Slice(layer.ParameterOffset, layer.WeightCount));

    private static double Norm(ReadOnlySpan<T> values)
    {
        // The vectorized sum in T runs on every step. Only when it overflows (or meets a NaN) does the exact double
        // sum below decide whether a value is really non-finite.
        T fast = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(values);
        if (T.IsFinite(fast))
        {
            return Math.Sqrt(double.CreateTruncating(fast));
        }

        double sum = 0;
        foreach (T value in values)
        {
            double v = double.CreateTruncating(value);
            sum += v * v;
        }

        return Math.Sqrt(sum);
    }

    private static (double Mean, double Deviation) ColumnStatistics(ReadOnlySpan<T> values, int width, int column)
    {
        int rows = values.Length / width;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            sum += double.CreateTruncating(values[r * width + column]);
        }

        double mean = sum / rows;
        double squares = 0;
        for (int r = 0; r < rows; r++)
        {
            double d = double.CreateTruncating(values[r * width + column]) - mean;
            squares += d * d;
        }

        return (mean, Math.Sqrt(squares / rows));
    }

    private void Add(TrainingFinding finding)
    {
        if (_reportFindings && _reported.Add((finding.Id, finding.Layer)))
        {
            _pending.Add(finding);
        }
    }

    private static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
