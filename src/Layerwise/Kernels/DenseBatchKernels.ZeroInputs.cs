using System;
using System.Diagnostics;
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
    /// coefficients. On 784 → 256 at 256 MNIST rows, one core: the forward product took 387 µs over the 43% of steps
    /// kept against 994 dense, and the weight gradient 308 µs over 34% against 942.
    /// </remarks>
    internal static double MaxKeptFraction { get; set; } = 0.75;

    /// <summary>Products with fewer multiply-adds than this stay dense: reading X would cost more than skipping could gain.</summary>
    internal static long SkipZeroInputsMultiplyAdds { get; set; } = 1 << 18;

    /// <summary>
    /// Returns whether a call of these sizes may skip zero inputs: the product is large enough, and W small enough for
    /// the transposed copy that the kept steps read (see <see cref="BroadcastForwardWeights"/>).
    /// </summary>
    internal static bool MaySkipZeroInputs(int batch, int inputs, int outputs)
        => (long)batch * inputs * outputs >= SkipZeroInputsMultiplyAdds && (long)inputs * outputs <= BroadcastForwardWeights;

    /// <summary>
    /// Computes the forward product over the input steps each block of six samples keeps, and returns false, having
    /// written nothing, when the sizes or the zeros of X do not call for it.
    /// </summary>
    private static bool TryForwardOverKeptSteps<T>(
        VectorWidth width, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int batch, int inputs, int outputs,
        FusedActivation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!MaySkipZeroInputs(batch, inputs, outputs))
        {
            return false;
        }

        KeptSteps<T> kept = KeptSteps<T>.Rent();
        fixed (T* x = input)
        {
            if (!kept.TryPackSamples(x, batch, inputs, MaxKeptFraction))
            {
                return false;
            }
        }

        T[] transposed = ThreadScratch<T>.Transposed(inputs * outputs);
        long multiplyAdds = (long)kept.Kept * MatrixProducts.BroadcastRowBlock * outputs;
        int parts = KernelThreads.PlanParts(multiplyAdds, outputs, PanelWidth<T>(width));
        fixed (T* w = weights)
        fixed (T* b = bias)
        fixed (T* wt = transposed)
        fixed (T* x = input)
        fixed (T* y = output)
        {
            KeptStepForwardWork<T> work = KeptStepForwardWork<T>.Rent();
            work.Set(width, w, bias.IsEmpty ? null : b, wt, x, y, batch, inputs, outputs, activation, kept);
            KernelThreads.Run(work, parts);
            work.Clear();
        }

        return true;
    }

    /// <summary>
    /// Overwrites dW with its gradient summed over the sample steps each block of six inputs keeps, and returns false,
    /// having written nothing, when the sizes or the zeros of X do not call for it.
    /// </summary>
    private static bool TryWeightGradientOverKeptSteps<T>(VectorWidth width, T* x, T* outputGradient, T* weightGradient, int batch, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!MaySkipZeroInputs(batch, inputs, outputs))
        {
            return false;
        }

        KeptSteps<T> kept = KeptSteps<T>.Rent();
        if (!kept.TryPackInputs(x, batch, inputs, MaxKeptFraction))
        {
            return false;
        }

        // dWᵀ[i, :] = Σ_s X[s, i] · dY[s, :] over the kept samples, then each part writes its rows of dWᵀ into its
        // columns of dW.
        T[] transposed = ThreadScratch<T>.Transposed(inputs * outputs);
        long multiplyAdds = (long)kept.Kept * MatrixProducts.BroadcastRowBlock * outputs;
        int parts = KernelThreads.PlanParts(multiplyAdds, inputs, MatrixProducts.BroadcastRowBlock);
        fixed (T* gradientT = transposed)
        {
            KeptStepGradientWork<T> work = KeptStepGradientWork<T>.Rent();
            work.Set(width, x, outputGradient, gradientT, weightGradient, batch, inputs, outputs, kept);
            KernelThreads.Run(work, parts);
            work.Clear();
        }

        return true;
    }

    /// <summary>
    /// The forward product over kept steps as work that threads share by bands of outputs, as
    /// <see cref="OutputBandWork{T}"/> does for the dense broadcast form: each part transposes its rows of W.
    /// </summary>
    private sealed class KeptStepForwardWork<T> : IPartitionedWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static KeptStepForwardWork<T>? t_cached;

        private VectorWidth _width;
        private FusedActivation _activation;
        private T* _weights;
        private T* _bias;
        private T* _transposed;
        private T* _input;
        private T* _output;
        private int _batch;
        private int _inputs;
        private int _outputs;
        private KeptSteps<T>? _kept;

        public static KeptStepForwardWork<T> Rent() => t_cached ??= new KeptStepForwardWork<T>();

        public void Set(
            VectorWidth width, T* weights, T* bias, T* transposed, T* input, T* output, int batch, int inputs, int outputs, FusedActivation activation,
            KeptSteps<T> kept)
        {
            _width = width;
            _activation = activation;
            _weights = weights;
            _bias = bias;
            _transposed = transposed;
            _input = input;
            _output = output;
            _batch = batch;
            _inputs = inputs;
            _outputs = outputs;
            _kept = kept;
        }

        public void Clear()
        {
            _weights = null;
            _bias = null;
            _transposed = null;
            _input = null;
            _output = null;
            _kept = null;
        }

        public void Run(int part, int parts)
        {
            (int start, int end) = KernelThreads.PartRows(_outputs, part, parts, PanelWidth<T>(_width));
            int band = end - start;
            if (band == 0)
            {
                return;
            }

            // A part on another thread packs the blocks again, into its own arrays. Reading the caller's packing moved
            // its cache lines between the cores, which took longer than packing twice (see OutputBandWork).
            KeptSteps<T> kept = KeptSteps<T>.Rent();
            if (!ReferenceEquals(kept, _kept))
            {
                bool packed = kept.TryPackSamples(_input, _batch, _inputs, maxKeptFraction: 1);
                Debug.Assert(packed, "The caller packed the same X.");
            }

            StartOutputBand(_weights, _bias, _transposed, _output, _batch, _inputs, _outputs, start, band);
            fixed (int* blockStarts = kept.BlockStarts)
            fixed (int* steps = kept.Steps)
            fixed (T* coefficients = kept.Coefficients)
            {
                MatrixProducts.KeptStepRows(
                    _width, blockStarts, steps, coefficients, _transposed, _outputs, _output, _outputs, _batch, 0, kept.Blocks, start, end, fromZero: false);
            }

            FinishOutputBand(_activation, _output, _batch, _outputs, start, band);
        }
    }

    /// <summary>The weight gradient over kept steps as work that threads share by blocks of inputs.</summary>
    private sealed class KeptStepGradientWork<T> : IPartitionedWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static KeptStepGradientWork<T>? t_cached;

        private VectorWidth _width;
        private T* _input;
        private T* _outputGradient;
        private T* _transposed;
        private T* _weightGradient;
        private int _batch;
        private int _inputs;
        private int _outputs;
        private KeptSteps<T>? _kept;

        public static KeptStepGradientWork<T> Rent() => t_cached ??= new KeptStepGradientWork<T>();

        public void Set(
            VectorWidth width, T* input, T* outputGradient, T* transposed, T* weightGradient, int batch, int inputs, int outputs, KeptSteps<T> kept)
        {
            _width = width;
            _input = input;
            _outputGradient = outputGradient;
            _transposed = transposed;
            _weightGradient = weightGradient;
            _batch = batch;
            _inputs = inputs;
            _outputs = outputs;
            _kept = kept;
        }

        public void Clear()
        {
            _input = null;
            _outputGradient = null;
            _transposed = null;
            _weightGradient = null;
            _kept = null;
        }

        public void Run(int part, int parts)
        {
            int block = MatrixProducts.BroadcastRowBlock;
            (int start, int end) = KernelThreads.PartRows(_inputs, part, parts, block);
            if (start == end)
            {
                return;
            }

            // A part on another thread packs its own blocks, into its own arrays, for the reason KeptStepForwardWork
            // gives. Its packing then starts at its first block, and the pointer to its block starts is moved back to
            // match the block numbers of the whole product.
            int firstBlock = start / block;
            int endBlock = (end + block - 1) / block;
            KeptSteps<T> kept = KeptSteps<T>.Rent();
            int packedFrom = 0;
            if (!ReferenceEquals(kept, _kept))
            {
                bool packed = kept.TryPackInputs(_input, _batch, _inputs, maxKeptFraction: 1, firstBlock, endBlock);
                Debug.Assert(packed, "The caller packed the same X.");
                packedFrom = firstBlock;
            }

            fixed (int* blockStarts = kept.BlockStarts)
            fixed (int* steps = kept.Steps)
            fixed (T* coefficients = kept.Coefficients)
            {
                MatrixProducts.KeptStepRows(
                    _width, blockStarts - packedFrom, steps, coefficients, _outputGradient, _outputs, _transposed, _outputs, _inputs, firstBlock, endBlock,
                    0, _outputs, fromZero: true);
            }

            Transpose.Block(_transposed + ((nint)start * _outputs), _outputs, end - start, _outputs, _weightGradient + start, _inputs);
        }
    }
}
