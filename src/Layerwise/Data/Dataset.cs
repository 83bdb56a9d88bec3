using System;
using System.Collections.Generic;
using System.Numerics;
using Layerwise.Initialization;

namespace Layerwise.Data;

/// <summary>
/// Samples held in memory: features row-major [Count, FeatureCount], targets row-major
/// [Count, TargetCount], and for classification the class label of each sample.
/// </summary>
/// <typeparam name="T">The element type of features and targets.</typeparam>
public sealed class Dataset<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _features;
    private readonly T[] _targets;
    private readonly int[]? _labels;

    /// <summary>Wraps existing arrays without copying them.</summary>
    /// <param name="features">Row-major [count, featureCount].</param>
    /// <param name="featureCount">Features per sample; positive.</param>
    /// <param name="targets">Row-major [count, targetCount], with the same number of rows as <paramref name="features"/>.</param>
    /// <param name="targetCount">Targets per sample; positive.</param>
    /// <param name="labels">The class index of each sample for classification data, or null for regression.</param>
    /// <exception cref="ArgumentException">The lengths do not describe the same number of samples, or a label is out of range.</exception>
    public Dataset(T[] features, int featureCount, T[] targets, int targetCount, int[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetCount);
        if (features.Length % featureCount != 0)
        {
            throw new ArgumentException(
                $"The features hold {features.Length} values, which is not a multiple of {featureCount} features per sample.",
                nameof(features));
        }

        int count = features.Length / featureCount;
        ThrowHelper.ThrowIfLengthDiffers((long)count * targetCount, targets.Length, nameof(targets));
        if (labels is not null)
        {
            ThrowHelper.ThrowIfLengthDiffers(count, labels.Length, nameof(labels));
            ThrowHelper.ThrowIfLabelOutOfRange(labels, Math.Max(targetCount, 2), nameof(labels));
        }

        _features = features;
        _targets = targets;
        _labels = labels;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        Count = count;
    }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of features of one sample.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of target values of one sample.</summary>
    public int TargetCount { get; }

    /// <summary>Every feature, row-major [Count, FeatureCount].</summary>
    public ReadOnlySpan<T> Features => _features;

    /// <summary>Every target, row-major [Count, TargetCount].</summary>
    public ReadOnlySpan<T> Targets => _targets;

    /// <summary>True when the samples carry class labels.</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>The class label of each sample; empty when <see cref="HasLabels"/> is false.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<T> GetFeatures(int index) => _features.AsSpan(checked(index * FeatureCount), FeatureCount);

    /// <summary>The targets of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<T> GetTargets(int index) => _targets.AsSpan(checked(index * TargetCount), TargetCount);

    /// <summary>Copies the samples at <paramref name="indices"/>, in that order, into a new data set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Count).</exception>
    public Dataset<T> Select(ReadOnlySpan<int> indices)
    {
        var features = new T[indices.Length * FeatureCount];
        var targets = new T[indices.Length * TargetCount];
        int[]? labels = _labels is null ? null : new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(indices));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count, nameof(indices));
            GetFeatures(index).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            GetTargets(index).CopyTo(targets.AsSpan(i * TargetCount, TargetCount));
            if (labels is not null)
            {
                labels[i] = _labels![index];
            }
        }

        return new Dataset<T>(features, FeatureCount, targets, TargetCount, labels);
    }

    /// <summary>
    /// Splits labelled samples into a training and a test set so that each class keeps its proportion:
    /// within every class the samples are shuffled with <paramref name="seed"/> and round(testFraction × class
    /// size) of them go to the test set. Both sets keep the original sample order.
    /// </summary>
    /// <param name="testFraction">The share of each class for the test set, in (0, 1).</param>
    /// <param name="seed">The shuffle seed; the same seed gives the same split.</param>
    /// <exception cref="InvalidOperationException">The data set has no labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    public (Dataset<T> Training, Dataset<T> Test) StratifiedSplit(double testFraction, int seed)
    {
        if (_labels is null)
        {
            throw new InvalidOperationException("A stratified split needs class labels, and this data set has none.");
        }

        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in (0, 1).");
        }

        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < _labels.Length; i++)
        {
            if (!byClass.TryGetValue(_labels[i], out List<int>? members))
            {
                byClass[_labels[i]] = members = new List<int>();
            }

            members.Add(i);
        }

        var random = new Xoshiro256(seed);
        var isTest = new bool[Count];
        foreach (List<int> list in byClass.Values)
        {
            int[] members = list.ToArray();
            random.Shuffle(members);
            int testCount = (int)Math.Round(testFraction * members.Length, MidpointRounding.AwayFromZero);
            for (int i = 0; i < testCount; i++)
            {
                isTest[members[i]] = true;
            }
        }

        var training = new List<int>();
        var test = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            (isTest[i] ? test : training).Add(i);
        }

        return (Select(training.ToArray()), Select(test.ToArray()));
    }
}

/// <summary>Factory methods for <see cref="Dataset{T}"/>.</summary>
public static class Dataset
{
    /// <summary>
    /// Creates a classification data set whose targets are the one-hot rows of <paramref name="labels"/>.
    /// With <paramref name="classCount"/> = 1 the target is the label itself (0 or 1), for a single sigmoid output.
    /// </summary>
    /// <param name="features">Row-major [count, featureCount].</param>
    /// <param name="featureCount">Features per sample.</param>
    /// <param name="labels">One class index per sample, in [0, classCount), or 0/1 when classCount is 1.</param>
    /// <param name="classCount">The number of output units the labels are spread over.</param>
    /// <exception cref="ArgumentException">A label does not fit <paramref name="classCount"/>, or the lengths disagree.</exception>
    public static Dataset<T> FromLabels<T>(T[] features, int featureCount, int[] labels, int classCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ThrowHelper.ThrowIfLabelOutOfRange(labels, Math.Max(classCount, 2), nameof(labels));
        var targets = new T[(long)labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if (classCount == 1)
            {
                targets[i] = T.CreateChecked(labels[i]);
            }
            else
            {
                targets[(long)i * classCount + labels[i]] = T.One;
            }
        }

        return new Dataset<T>(features, featureCount, targets, classCount, labels);
    }
}
