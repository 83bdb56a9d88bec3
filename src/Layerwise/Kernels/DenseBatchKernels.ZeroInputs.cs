using System;
using System.Numerics;

namespace Layerwise.Kernels;

/// <summary>The forward product and weight gradient of a layer whose input is mostly zeros, over kept steps.</summary>
public static unsafe partial class DenseBatchKernels
{
    /// <summary>
    /// The largest share of its steps a block of six may keep for a call to skip zero inputs; above it the product
    /// runs dense.
    /// </summary>
    /// <remarks>
    /// A kept step costs about what a dense step costs, and finding them costs a pass over X and a copy of the kept
    /// coefficients. On 784 → 256 at 256 MNIST rows, one core, the blocks kept 43% and 34% of the steps. The forward
    /// product took 476 µs against 993 dense and the weight gradient 426 µs against 942, packing (52 and 84 µs)
    /// included. NOTE: the 75% limit is an estimate from those figures, not a measured break-even.
    /// </remarks>
    internal static double MaxKeptFraction { get; set; } = 0.75;

    /// <summary>Products with fewer multiply-adds than this stay dense: reading X would cost more than skipping could gain.</summary>
    internal static long SkipZeroInputsMultiplyAdds { get; set; } = 1 << 18;

    /// <summary>
    /// Returns whether a call of these sizes may skip zero inputs: the product is large enough, and W small enough for
    /// the transposed copy that the kept steps read (<see cref="ProductThresholds.SkipZeroInputsWeights"/>).
    /// </summary>
    internal static bool MaySkipZeroInputs(int batch, int inputs, int outputs)
        => (long)batch * inputs * outputs >= SkipZeroInputsMultiplyAdds && (long)inputs * outputs <= ProductThresholds.SkipZeroInputsWeights;

    /// <summary>
    /// Computes the forward product over the input steps each block of six samples keeps. Returns false, having written
    /// nothing, when the sizes do not call for it or X is more than half nonzero in its first rows.
    /// </summary>
    /// <remarks>
    /// Each part of the product packs the kept steps on its own thread, into its own arrays, and reaches the same
    /// decision from the same X. A part that read another thread's packing moved its cache lines between the cores,
    /// which cost more than packing twice (see <see cref="OutputBandWork{T}"/>). When the blocks keep too many steps,
    /// each part computes its band in the dense broadcast form instead.
    /// </remarks>
    private static bool TryForwardOverKeptSteps<T>(
        VectorWidth width, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int batch, int inputs, int outputs,
        FusedActivation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!MaySkipZeroInputs(batch, inputs, outputs))
        {
            return false;
        }

        int parts = KernelThreads.PlanParts((long)batch * inputs * outputs, outputs, PanelWidth<T>(width));
        fixed (T* w = weights)
        fixed (T* b = bias)
        fixed (T* x = input)
        fixed (T* y = output)
        {
            if (KeptSteps<T>.ProbeIsDense(x, batch, inputs))
            {
                return false;
            }

            OutputBandWork<T> work = OutputBandWork<T>.Rent();
            work.Set(width, w, bias.IsEmpty ? null : b, x, y, batch, inputs, outputs, activation, skipZeroInputs: true);
            KernelThreads.Run(work, parts);
            work.Clear();
        }

        return true;
    }

    /// <summary>
    /// Overwrites dW with its gradient summed over the sample steps each block of six inputs keeps. Returns false,
    /// having written nothing, when the sizes do not call for it or X is more than half nonzero in its first rows.
    /// </summary>
    /// <remarks>
    /// Each part packs on its own thread, as in <see cref="TryForwardOverKeptSteps{T}"/>, and then computes its band of
    /// outputs: columns of dWᵀ that it transposes into the same rows of dW. Those are the rows of dW that the dense product
    /// gives each thread, up to the rounding of the band edges, so the optimizer's update (see
    /// <see cref="Training.ParameterPartition"/>) finds them on the core that wrote them. When the blocks keep too many
    /// steps, each part computes its rows of dW in the dense broadcast form instead.
    /// </remarks>
    private static bool TryWeightGradientOverKeptSteps<T>(VectorWidth width, T* x, T* outputGradient, T* weightGradient, int batch, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!MaySkipZeroInputs(batch, inputs, outputs) || KeptSteps<T>.ProbeIsDense(x, batch, inputs))
        {
            return false;
        }

        int parts = KernelThreads.PlanParts((long)batch * inputs * outputs, outputs, PanelWidth<T>(width));
        KeptStepGradientWork<T> work = KeptStepGradientWork<T>.Rent();
        work.Set(width, x, outputGradient, weightGradient, batch, inputs, outputs);
        KernelThreads.Run(work, parts);
        work.Clear();

        return true;
    }

    /// <summary>The weight gradient over kept steps as work that threads share by bands of outputs, reused per thread.</summary>
    private sealed class KeptStepGradientWork<T> : IPartitionedWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static KeptStepGradientWork<T>? t_cached;

        private VectorWidth _width;
        private T* _input;
        private T* _outputGradient;
        private T* _weightGradient;
        private int _batch;
        private int _inputs;
        private int _outputs;

        public static KeptStepGradientWork<T> Rent() => t_cached ??= new KeptStepGradientWork<T>();

        public void Set(VectorWidth width, T* input, T* outputGradient, T* weightGradient, int batch, int inputs, int outputs)
        {
            _width = width;
            _input = input;
            _outputGradient = outputGradient;
            _weightGradient = weightGradient;
            _batch = batch;
            _inputs = inputs;
            _outputs = outputs;
        }

        public void Clear()
        {
            _input = null;
            _outputGradient = null;
            _weightGradient = null;
        }

        public void Run(int part, int parts)
        {
            KeptSteps<T> packing = KeptSteps<T>.Rent();
            if (!packing.TryPackInputs(_input, _batch, _inputs, MaxKeptFraction))
            {
                // dW[j, :] = Σ_s dY[s, j] · X[s, :] for this part's rows, as the dense product computes them.
                (int first, int last) = KernelThreads.PartRows(_outputs, part, parts, MatrixProducts.BroadcastRowBlock);
                MatrixProducts.BroadcastRows(
                    _width, _outputGradient, 1, _outputs, _input, _inputs, _weightGradient, _inputs, first, last, _inputs, _batch, overwrite: true);
                return;
            }

            (int start, int end) = KernelThreads.PartRows(_outputs, part, parts, PanelWidth<T>(_width));
            if (start == end)
            {
                return;
            }

            // dWᵀ[i, start..end) = Σ_s X[s, i] · dY[s, start..end) over each block's kept samples, summed in this thread's
            // own array [inputs, band] (see OutputBandWork), then transposed into rows of dW.
            int band = end - start;
            fixed (int* blockStarts = packing.BlockStarts)
            fixed (int* steps = packing.Steps)
            fixed (T* coefficients = packing.Coefficients)
            fixed (T* ownBand = ThreadScratch<T>.Band(_inputs * band))
            {
                // The kernel reads dY[s, c] for c in [start, end) and writes column c at ownBand[i · band + c - start].
                MatrixProducts.KeptStepRows(
                    _width, blockStarts, steps, coefficients, _outputGradient, _outputs, ownBand - start, band, _inputs, 0, packing.Blocks, start, end,
                    fromZero: true);
                Transpose.Block(ownBand, band, _inputs, band, _weightGradient + ((nint)start * _inputs), _inputs);
            }
        }
    }
}
