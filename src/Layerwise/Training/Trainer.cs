using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Threading;
using Layerwise.Data;
using Layerwise.Initialization;
using Layerwise.Training.Health;

namespace Layerwise.Training;

/// <summary>Mini-batch training of any generated network through <see cref="INetwork{T}"/>.</summary>
public static class Trainer
{
    /// <summary>Samples per inference call while measuring an epoch.</summary>
    private const int EvaluationChunk = 256;

    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="training"/> for <see cref="TrainingOptions.Epochs"/>
    /// epochs of shuffled mini-batches, and measures it after every epoch.
    /// </summary>
    /// <param name="network">The network; its parameters are updated in place.</param>
    /// <param name="training">The training samples; widths must match the network.</param>
    /// <param name="options">Epochs, batch size, optimizer and shuffle seed.</param>
    /// <param name="validation">Samples measured after each epoch but never trained on, or null.</param>
    /// <param name="progress">Receives one report per epoch, or null.</param>
    /// <param name="cancellationToken">Checked before every mini-batch.</param>
    /// <returns>The report of every epoch, in order.</returns>
    /// <exception cref="ArgumentException">A data set's widths do not match the network, or its labels do not fit the output layer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled; the parameters keep the last completed step.</exception>
    public static IReadOnlyList<EpochReport> Fit<T>(
        this INetwork<T> network,
        Dataset<T> training,
        TrainingOptions options,
        Dataset<T>? validation = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckData(network, training, nameof(training));
        if (validation is not null)
        {
            CheckData(network, validation, nameof(validation));
        }

        // Options win; the network's [Training] declaration fills what they leave unset.
        TrainingDefaults? declared = network.TrainingDefaults;
        int epochs = options.Epochs ?? declared?.Epochs ?? TrainingOptions.DefaultEpochs;
        Optimizer optimizerSettings = options.Optimizer ?? declared?.CreateOptimizer() ?? new Adam();
        IReadOnlyList<TrainingFinding> settingFindings = LearningRateCheck.Check(optimizerSettings);
        int inputSize = network.InputSize;
        int outputSize = network.OutputSize;
        int batchSize = Math.Min(options.BatchSize ?? declared?.BatchSize ?? TrainingOptions.DefaultBatchSize, training.Count);
        bool hasBatchNorm = HasLayer(network, LayerKind.BatchNorm);
        if (hasBatchNorm && batchSize < 2)
        {
            throw new ArgumentException(
                $"LW1010: the network has a BatchNorm layer, which needs at least 2 samples per batch in training, but the batch size is {batchSize}; use a batch size of 2 or more.",
                nameof(options));
        }

        if (options.FitStandardization)
        {
            FitStandardization(network, training);
        }

        // Every buffer is allocated here, once, so the steps below allocate nothing.
        OptimizerState<T> optimizer = optimizerSettings.CreateState(network);
        var gradients = new T[network.ParameterCount];
        var batchInputs = new T[batchSize * inputSize];
        var batchTargets = new T[batchSize * outputSize];
        var evaluationOutputs = new T[EvaluationChunk * outputSize];
        int[] order = new int[training.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var health = new HealthMonitor<T>(network, training, optimizerSettings, options.CheckHealth);
        health.CheckBeforeTraining(settingFindings);
        var random = new Xoshiro256(options.Seed);
        long step = 0;
        var history = new List<EpochReport>(epochs);
        var total = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            if (options.Shuffle)
            {
                random.Shuffle(order);
            }

            long stepStart = Stopwatch.GetTimestamp();
            double batchLossSum = 0;
            int samplesSeen = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(batchSize, order.Length - start);
                if (count == 1 && hasBatchNorm)
                {
                    // BatchNorm cannot estimate a variance from one sample. Like PyTorch's drop_last, the last sample
                    // of this epoch's order is left out, and the next epoch's shuffle leaves out a different one.
                    break;
                }
                for (int i = 0; i < count; i++)
                {
                    int sample = order[start + i];
                    training.GetFeatures(sample).CopyTo(batchInputs.AsSpan(i * inputSize, inputSize));
                    training.GetTargets(sample).CopyTo(batchTargets.AsSpan(i * outputSize, outputSize));
                }

                network.NoiseSeed = unchecked(((long)options.Seed << 32) + step++);
                T loss = network.ComputeGradientsAndUpdateStatistics(
                    batchInputs.AsSpan(0, count * inputSize), batchTargets.AsSpan(0, count * outputSize), gradients);
                health.CheckStep(loss, gradients, batchInputs.AsSpan(0, count * inputSize), batchTargets.AsSpan(0, count * outputSize), epoch, step);
                batchLossSum += double.CreateTruncating(loss) * count;
                samplesSeen += count;
                optimizer.Step(network.Parameters, gradients);
            }

            TimeSpan stepTime = Stopwatch.GetElapsedTime(stepStart);
            (double trainingLoss, double trainingAccuracy) = options.EvaluateTrainingSet
                ? Evaluation.Evaluate(network, training, evaluationOutputs)
                : (batchLossSum / Math.Max(samplesSeen, 1), double.NaN);
            double? validationLoss = null;
            double? validationAccuracy = null;
            if (validation is not null)
            {
                (double loss, double accuracy) = Evaluation.Evaluate(network, validation, evaluationOutputs);
                validationLoss = loss;
                validationAccuracy = accuracy;
            }

            var report = new EpochReport(
                epoch,
                trainingLoss,
                trainingAccuracy,
                validationLoss,
                validationAccuracy,
                training.Count / Math.Max(stepTime.TotalSeconds, 1e-9),
                total.Elapsed)
            {
                Findings = health.EndEpoch(epoch),
            };
            history.Add(report);
            progress?.Report(report);
        }

        return history;
    }

    private static bool HasLayer<T>(INetwork<T> network, LayerKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (LayerDescription layer in network.Layers)
        {
            if (layer.Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sets the mean and standard deviation of every Standardize layer from the training features.</summary>
    private static void FitStandardization<T>(INetwork<T> network, Dataset<T> training)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (LayerDescription layer in network.Layers)
        {
            if (layer.Kind == LayerKind.Standardize)
            {
                int features = layer.OutputSize;
                Span<T> state = network.State.Slice(layer.StateOffset, layer.StateCount);
                Kernels.StandardizeKernels.Fit(training.Features, state.Slice(0, features), state.Slice(features, features));
            }
        }
    }

    private static void CheckData<T>(INetwork<T> network, Dataset<T> data, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Count == 0)
        {
            throw new ArgumentException("The data set has no samples.", parameterName);
        }

        if (data.HasLabels)
        {
            int largest = 0;
            foreach (int label in data.Labels)
            {
                largest = Math.Max(largest, label);
            }

            int classes = network.OutputSize == 1 ? 2 : network.OutputSize;
            if (largest >= classes)
            {
                throw new ArgumentException(
                    $"LW3008: the largest label is {largest}, but the output layer has {network.OutputSize} unit(s), which fit labels 0 to {classes - 1}; widen the output layer to the number of classes.",
                    parameterName);
            }
        }

        Evaluation.CheckShape(network, data, parameterName);
    }
}
