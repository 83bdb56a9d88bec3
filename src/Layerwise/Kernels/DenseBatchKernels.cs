using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Layerwise.Kernels;

/// <summary>
/// Matrix-matrix kernels of a fully connected layer over a batch, for the training pass: Y = X·Wᵀ + b forward,
/// and dW += dYᵀ·X, db += Σ dY, dX = dY·W backward. X is row-major [batch, inputs], W [outputs, inputs], Y and dY
/// [batch, outputs].
/// </summary>
/// <remarks>
/// The products run on register-blocked, cache-blocked loops (twelve vector accumulators, fused multiply-add where
/// the processor has it). The forward product takes dot products of rows of X and W, which are both contiguous.
/// Layers with fewer than 128 inputs and at least one vector of outputs multiply by a transposed copy of W instead,
/// and so do wider layers of up to 2^19 weights at batches of 256 rows or more. That form, and the two backward
/// products, broadcast one coefficient against a contiguous row.
/// A product large enough to gain is split across cores (see <see cref="KernelThreads"/>): by rows, or by bands of
/// outputs for the broadcast-form forward product. The result is the same on one core or several.
/// </remarks>
public static unsafe partial class DenseBatchKernels
{
    /// <summary>Computes output = input·Wᵀ + bias for every row of the batch.</summary>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="bias">b, [outputs], or empty for a layer without bias.</param>
    /// <param name="input">X, row-major [batch, inputs].</param>
    /// <param name="output">Y, row-major [batch, outputs]; must not overlap <paramref name="input"/>.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> or <paramref name="outputs"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(weights, bias, input, output, inputs, outputs, FusedActivation.None);

    /// <summary>Computes output = f(input·Wᵀ + bias) for every row of the batch, f applied by the same call.</summary>
    /// <remarks>
    /// Each thread applies f to the rows it has computed right after its share of the product, so the activation is
    /// split across cores with the product and reads values still in that core's cache. The results are those of the
    /// separate activation kernel.
    /// </remarks>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="bias">b, [outputs], or empty for a layer without bias.</param>
    /// <param name="input">X, row-major [batch, inputs].</param>
    /// <param name="output">Y, row-major [batch, outputs]; must not overlap <paramref name="input"/>.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <param name="activation">f.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="inputs"/> or <paramref name="outputs"/> is not positive, or <paramref name="activation"/> is not a
    /// defined value.
    /// </exception>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int inputs, int outputs,
        FusedActivation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(weights, bias, input, output, inputs, outputs, activation, skipZeroInputs: false);

    /// <summary>
    /// Computes output = f(input·Wᵀ + bias) for every row of the batch, and with <paramref name="skipZeroInputs"/> leaves
    /// out the multiply-adds by zeros of the input where they line up in blocks.
    /// </summary>
    /// <remarks>
    /// <para>
    /// With <paramref name="skipZeroInputs"/>, the call reads which values of X are zero. When blocks of six samples
    /// share enough zero inputs, each block sums over only the inputs where one of its samples is nonzero (see
    /// <see cref="MaxKeptFraction"/>); otherwise the product runs as without it. Pass it for a layer fed data that is
    /// mostly zero, such as raw pixels or one-hot features: on batches of 256 MNIST digits, 784 → 256 took less than
    /// half the time. The sums then leave out terms that are zero, so a weight that is infinite or NaN only reaches the
    /// outputs of samples with a nonzero input next to it. The rounding can differ from the dense product's in the
    /// last bits.
    /// </para>
    /// <para>Which path a call takes depends on the values of X and the sizes, never on the number of threads.</para>
    /// </remarks>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="bias">b, [outputs], or empty for a layer without bias.</param>
    /// <param name="input">X, row-major [batch, inputs].</param>
    /// <param name="output">Y, row-major [batch, outputs]; must not overlap <paramref name="input"/>.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <param name="activation">f.</param>
    /// <param name="skipZeroInputs">True to look for zeros in X and skip them where they line up.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="inputs"/> or <paramref name="outputs"/> is not positive, or <paramref name="activation"/> is not a
    /// defined value.
    /// </exception>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int inputs, int outputs,
        FusedActivation activation, bool skipZeroInputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((uint)activation > (uint)FusedActivation.Tanh)
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, $"Invalid activation {(int)activation}: expected None, ReLU, Sigmoid or Tanh.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ThrowHelper.ThrowIfLengthDiffers((long)inputs * outputs, weights.Length, nameof(weights));
        if (!bias.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(outputs, bias.Length, nameof(bias));
        }

        int batch = ThrowHelper.GetRowCount(input.Length, inputs, nameof(input));
        ThrowHelper.ThrowIfLengthDiffers((long)batch * outputs, output.Length, nameof(output));

        long multiplyAdds = (long)batch * inputs * outputs;
        VectorWidth width = MatrixProducts.CurrentWidth<T>();
        if (skipZeroInputs && TryForwardOverKeptSteps(width, weights, bias, input, output, batch, inputs, outputs, activation))
        {
            return;
        }

        if (UsesBroadcastForward(batch, inputs, outputs, MatrixProducts.VectorCount<T>(width)))
        {
            ForwardByBroadcast(width, weights, bias, input, output, batch, inputs, outputs, multiplyAdds, activation);
            return;
        }

        fixed (T* w = weights)
        fixed (T* b = bias)
        fixed (T* x = input)
        fixed (T* y = output)
        {
            ForwardWork<T> work = ForwardWork<T>.Rent();
            work.Set(width, w, bias.IsEmpty ? null : b, x, y, batch, inputs, outputs, activation);
            KernelThreads.Run(work, KernelThreads.PlanParts(multiplyAdds, batch, MatrixProducts.DotRowBlock));
            work.Clear();
        }
    }

    /// <summary>
    /// Returns whether the forward product takes the broadcast form, over a transposed copy of W: it needs a whole vector
    /// of outputs per row, and the layer is narrow or the batch is large enough to pay for the copy.
    /// </summary>
    /// <remarks>
    /// The choice depends on the sizes only, never on the number of threads, so results stay the same on one core or
    /// several.
    /// </remarks>
    internal static bool UsesBroadcastForward(int batch, int inputs, int outputs, int vectorCount)
        => outputs >= vectorCount
            && (inputs < BroadcastForwardInputs
                || (batch >= BroadcastForwardBatch && (long)inputs * outputs <= BroadcastForwardWeights));

    /// <summary>
    /// Layers with fewer inputs than this take the forward product in the broadcast form at any batch size.
    /// </summary>
    /// <remarks>
    /// The dot-product form ends every output with a horizontal sum, which short rows cannot pay for. With 4 or 16
    /// inputs most of its time went to the sums, and at 64 inputs it ran at 38 GFLOP/s against 63 for this form. At
    /// 128 inputs the two ran level on 256-bit vectors.
    /// </remarks>
    internal static int BroadcastForwardInputs { get; set; } = ProductThresholds.BroadcastForwardInputs;

    /// <summary>
    /// Batches of at least this many rows take the forward product of wider layers in the broadcast form too, when W
    /// has at most <see cref="BroadcastForwardWeights"/> values.
    /// </summary>
    /// <remarks>
    /// Without horizontal sums the broadcast form runs faster once the transposed copy (one pass over W) is shared by
    /// enough rows. On a Zen 4 core with 512-bit vectors, at 256 rows: 784 → 256 took 1,022 µs against 1,086 for dot
    /// products, 256 → 128 164 against 204, 512 → 512 1,395 against 1,538. At 128 rows the two forms ran within 7% of
    /// each other either way, and at 64 rows the dot products won on 784 → 256 (268 against 280 µs).
    /// </remarks>
    internal static int BroadcastForwardBatch { get; set; } = ProductThresholds.BroadcastForwardBatch;

    /// <summary>
    /// The largest W, in values, whose transposed copy the wide-layer forward product uses (2 MiB of floats). At 256
    /// rows, layers up to this size ran faster or level in the broadcast form (1024 → 512: 3.1 ms against 4.7 for dot
    /// products), and 2048 → 512, twice the size, ran slower (6.4 ms against 5.7).
    /// </summary>
    internal static long BroadcastForwardWeights { get; set; } = ProductThresholds.BroadcastForwardWeights;

    /// <summary>Computes the forward product over a transposed copy of W, for the shapes <see cref="UsesBroadcastForward"/> selects.</summary>
    private static void ForwardByBroadcast<T>(
        VectorWidth width,
        ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int batch, int inputs, int outputs, long multiplyAdds,
        FusedActivation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int parts = KernelThreads.PlanParts(multiplyAdds, batch, MatrixProducts.BroadcastRowBlock);
        fixed (T* w = weights)
        fixed (T* b = bias)
        fixed (T* x = input)
        fixed (T* y = output)
        {
            if (parts == 1 || outputs >= parts * PanelWidth<T>(width))
            {
                // Each part takes a band of outputs: its rows of W, its own transposed copy of them and its columns of Y.
                // Within the call, no value of W or of a copy is read on one core after another wrote it. Where two cores
                // share no cache such values cross between them, and a cache line's round trip took 330 ns there against
                // 80 with a shared cache.
                OutputBandWork<T> work = OutputBandWork<T>.Rent();
                work.Set(width, w, bias.IsEmpty ? null : b, x, y, batch, inputs, outputs, activation, skipZeroInputs: false);
                KernelThreads.Run(work, parts);
                work.Clear();
                return;
            }

            // Too few outputs to share: Wᵀ on this thread, then the rows of the batch split between cores.
            fixed (T* wt = ThreadScratch<T>.Transposed(inputs * outputs))
            {
                Transpose.Block(w, inputs, outputs, inputs, wt, outputs);
                for (int s = 0; s < batch; s++)
                {
                    SetToBias(bias, output.Slice(s * outputs, outputs));
                }

                // Y[s, :] += Σ_i X[s, i] · Wᵀ[i, :]: the coefficient of output row s at step i is X[s·inputs + i].
                BroadcastWork<T> rowWork = BroadcastWork<T>.Rent();
                rowWork.Set(width, x, rowStride: inputs, stepStride: 1, wt, outputs, y, rows: batch, steps: inputs, outputs, overwrite: false, activation);
                KernelThreads.Run(rowWork, parts);
                rowWork.Clear();
            }
        }
    }

    /// <summary>Returns the columns of one panel of the broadcast form: two vectors of <paramref name="width"/>.</summary>
    private static int PanelWidth<T>(VectorWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
        => 2 * MatrixProducts.VectorCount<T>(width);

    /// <summary>Sets every value of <paramref name="target"/> to its bias, or to zero for a layer without bias.</summary>
    private static void SetToBias<T>(ReadOnlySpan<T> bias, Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bias.IsEmpty)
        {
            target.Clear();
        }
        else
        {
            bias.CopyTo(target);
        }
    }

    /// <summary>
    /// Accumulates weightGradient += outputGradientᵀ·input and biasGradient += the column sums of outputGradient, and
    /// writes inputGradient = outputGradient·W unless it is empty.
    /// </summary>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="input">X from the forward pass, [batch, inputs].</param>
    /// <param name="outputGradient">dY, [batch, outputs].</param>
    /// <param name="weightGradient">dW, [outputs, inputs], accumulated into.</param>
    /// <param name="biasGradient">db, [outputs], accumulated into, or empty for a layer without bias.</param>
    /// <param name="inputGradient">dX, [batch, inputs] overwritten, or empty to skip; must not overlap the other spans.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> or <paramref name="outputs"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> inputGradient, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Backward(weights, input, outputGradient, weightGradient, biasGradient, inputGradient, inputs, outputs, accumulate: true);

    /// <summary>
    /// Computes the gradients of W and b into weightGradient and biasGradient, added to their values or in place of
    /// them, and writes inputGradient = outputGradient·W unless it is empty.
    /// </summary>
    /// <remarks>
    /// Overwriting saves clearing the gradient buffer first and reading it back in the product. The values are those
    /// the accumulating call computes into zeroed spans.
    /// </remarks>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="input">X from the forward pass, [batch, inputs].</param>
    /// <param name="outputGradient">dY, [batch, outputs].</param>
    /// <param name="weightGradient">dW, [outputs, inputs].</param>
    /// <param name="biasGradient">db, [outputs], or empty for a layer without bias.</param>
    /// <param name="inputGradient">dX, [batch, inputs] overwritten, or empty to skip; must not overlap the other spans.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <param name="accumulate">True to add dYᵀ·X and Σ dY to dW and db; false to overwrite them.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> or <paramref name="outputs"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> inputGradient, int inputs, int outputs, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Backward(weights, input, outputGradient, weightGradient, biasGradient, inputGradient, inputs, outputs, accumulate, skipZeroInputs: false);

    /// <summary>
    /// Computes the gradients of W and b as <see cref="Backward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T}, Span{T}, int, int, bool)"/>
    /// does, and with <paramref name="skipZeroInputs"/> leaves out the multiply-adds by zeros of the input where they
    /// line up in blocks.
    /// </summary>
    /// <remarks>
    /// With <paramref name="skipZeroInputs"/> and <paramref name="accumulate"/> false, the weight gradient is summed per
    /// block of six inputs over only the samples where one of the six is nonzero, when that leaves out enough of them
    /// (see <see cref="MaxKeptFraction"/>), and then transposed into dW. A NaN in dY then only reaches the weights
    /// of inputs whose block is nonzero in that sample. The input gradient does not depend on X and is computed as
    /// without it.
    /// </remarks>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="input">X from the forward pass, [batch, inputs].</param>
    /// <param name="outputGradient">dY, [batch, outputs].</param>
    /// <param name="weightGradient">dW, [outputs, inputs].</param>
    /// <param name="biasGradient">db, [outputs], or empty for a layer without bias.</param>
    /// <param name="inputGradient">dX, [batch, inputs] overwritten, or empty to skip; must not overlap the other spans.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <param name="accumulate">True to add dYᵀ·X and Σ dY to dW and db; false to overwrite them.</param>
    /// <param name="skipZeroInputs">True to look for zeros in X and skip them where they line up.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> or <paramref name="outputs"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> inputGradient, int inputs, int outputs, bool accumulate,
        bool skipZeroInputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ThrowHelper.ThrowIfLengthDiffers((long)inputs * outputs, weights.Length, nameof(weights));
        int batch = ThrowHelper.GetRowCount(input.Length, inputs, nameof(input));
        ThrowHelper.ThrowIfLengthDiffers((long)batch * outputs, outputGradient.Length, nameof(outputGradient));
        ThrowHelper.ThrowIfLengthDiffers((long)inputs * outputs, weightGradient.Length, nameof(weightGradient));
        if (!biasGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(outputs, biasGradient.Length, nameof(biasGradient));
            if (!accumulate)
            {
                biasGradient.Clear();
            }

            for (int s = 0; s < batch; s++)
            {
                TensorPrimitives.Add(biasGradient, outputGradient.Slice(s * outputs, outputs), biasGradient);
            }
        }

        if (!inputGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers((long)batch * inputs, inputGradient.Length, nameof(inputGradient));
        }

        fixed (T* w = weights)
        fixed (T* x = input)
        fixed (T* dy = outputGradient)
        fixed (T* dw = weightGradient)
        fixed (T* dx = inputGradient)
        {
            BroadcastWork<T> work = BroadcastWork<T>.Rent();
            VectorWidth width = MatrixProducts.CurrentWidth<T>();
            long multiplyAdds = (long)batch * inputs * outputs;

            // dW[j, :] += Σ_s dY[s, j] · X[s, :]: the coefficient of weight row j at step s is dY[s·outputs + j].
            if (!(skipZeroInputs && !accumulate && TryWeightGradientOverKeptSteps(width, x, dy, dw, batch, inputs, outputs)))
            {
                work.Set(width, dy, rowStride: 1, stepStride: outputs, x, inputs, dw, rows: outputs, steps: batch, inputs, overwrite: !accumulate, FusedActivation.None);
                KernelThreads.Run(work, KernelThreads.PlanParts(multiplyAdds, outputs, MatrixProducts.BroadcastRowBlock));
            }

            // dX[s, :] = Σ_j dY[s, j] · W[j, :]: the coefficient of sample row s at step j is dY[s·outputs + j].
            if (!inputGradient.IsEmpty)
            {
                work.Set(width, dy, rowStride: outputs, stepStride: 1, w, inputs, dx, rows: batch, steps: outputs, inputs, overwrite: true, FusedActivation.None);
                KernelThreads.Run(work, KernelThreads.PlanParts(multiplyAdds, batch, MatrixProducts.BroadcastRowBlock));
            }

            work.Clear();
        }
    }

    /// <summary>Applies <paramref name="activation"/> in place to <paramref name="count"/> values from <paramref name="values"/>.</summary>
    private static void ApplyActivation<T>(FusedActivation activation, T* values, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = new Span<T>(values, count);
        switch (activation)
        {
            case FusedActivation.ReLU:
                ActivationKernels.ReLU<T>(span, span);
                break;
            case FusedActivation.Sigmoid:
                ActivationKernels.Sigmoid<T>(span, span);
                break;
            case FusedActivation.Tanh:
                ActivationKernels.Tanh<T>(span, span);
                break;
        }
    }

    /// <summary>
    /// The broadcast-form forward product as work that threads share by bands of outputs, reused per thread. Bands
    /// start at multiples of two vectors, so every column is computed with the registers one thread would use.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each part transposes its rows of W into an array of its own thread (<see cref="ThreadScratch{T}.Band"/>). A part
    /// among several sums its band of outputs in another such array and copies the finished band into Y once, and a
    /// single part sums in Y. Bands of one shared Wᵀ and sums made in
    /// Y itself had the two threads write alternate pieces of the same rows, several times per call (bias, each chunk
    /// of the sum, activation). On two cores of this machine, two threads writing alternate 256-byte or 512-byte pieces
    /// of one 128 KiB array wrote 17 to 67 GB/s in most runs, against 200 GB/s into arrays of their own. In a state of
    /// the virtual machine where a cache line took 170 ns instead of 33 to pass between its processors, one run of
    /// alternate 512-byte pieces went at 7 GB/s.
    /// </para>
    /// <para>
    /// Timed alone on two threads at 256 rows, in alternate runs of both versions: 784 → 256 took 532 µs
    /// against 545 and 256 → 128 100 against 115; in the slower state 634 against 760 and 131 against 217.
    /// </para>
    /// </remarks>
    private sealed class OutputBandWork<T> : IPartitionedWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static OutputBandWork<T>? t_cached;

        private VectorWidth _width;
        private FusedActivation _activation;
        private T* _weights;
        private T* _bias;
        private T* _input;
        private T* _output;
        private int _batch;
        private int _inputs;
        private int _outputs;
        private bool _skipZeroInputs;

        public static OutputBandWork<T> Rent() => t_cached ??= new OutputBandWork<T>();

        public void Set(
            VectorWidth width, T* weights, T* bias, T* input, T* output, int batch, int inputs, int outputs,
            FusedActivation activation, bool skipZeroInputs)
        {
            _width = width;
            _activation = activation;
            _weights = weights;
            _bias = bias;
            _input = input;
            _output = output;
            _batch = batch;
            _inputs = inputs;
            _outputs = outputs;
            _skipZeroInputs = skipZeroInputs;
        }

        public void Clear()
        {
            _weights = null;
            _bias = null;
            _input = null;
            _output = null;
        }

        public void Run(int part, int parts)
        {
            (int start, int end) = KernelThreads.PartRows(_outputs, part, parts, PanelWidth<T>(_width));
            int band = end - start;
            if (band == 0)
            {
                return;
            }

            // A part that skips zero inputs packs the kept steps on its own thread and reaches the same decision from the
            // same X (see TryForwardOverKeptSteps). When the blocks keep too many steps, it runs the dense form.
            KeptSteps<T>? packing = _skipZeroInputs ? KeptSteps<T>.Rent() : null;
            if (packing is not null && !packing.TryPackSamples(_input, _batch, _inputs, MaxKeptFraction))
            {
                packing = null;
            }

            var bias = new ReadOnlySpan<T>(_bias is null ? null : _bias + start, _bias is null ? 0 : band);
            fixed (T* ownBand = ThreadScratch<T>.Band(_inputs * band))
            fixed (T* ownOutputs = parts == 1 ? null : ThreadScratch<T>.BandOutputs(_batch * band))
            {
                // A part among several sums its band in its own array and copies it into Y once. A single part sums in Y.
                T* sums = parts == 1 ? _output + start : ownOutputs;
                int sumStride = parts == 1 ? _outputs : band;
                for (int s = 0; s < _batch; s++)
                {
                    SetToBias(bias, new Span<T>(sums + ((nint)s * sumStride), band));
                }

                // Rows [start, end) of W become the band Wᵀ[:, start..end), and Y[s, start..end) = bias + X[s, :]·that band.
                Transpose.Block(_weights + ((nint)start * _inputs), _inputs, band, _inputs, ownBand, band);
                if (packing is null)
                {
                    MatrixProducts.BroadcastRows(
                        _width, _input, _inputs, 1, ownBand, band, sums, sumStride, 0, _batch, band, _inputs, overwrite: false);
                }
                else
                {
                    fixed (int* blockStarts = packing.BlockStarts)
                    fixed (int* steps = packing.Steps)
                    fixed (T* coefficients = packing.Coefficients)
                    {
                        // The kernel reads column c of the band at ownBand[step · band + c] and writes sums[s · sumStride + c].
                        MatrixProducts.KeptStepRows(
                            _width, blockStarts, steps, coefficients, ownBand, band, sums, sumStride, _batch, 0, packing.Blocks, 0, band,
                            fromZero: false);
                    }
                }

                for (int s = 0; s < _batch; s++)
                {
                    T* row = sums + ((nint)s * sumStride);
                    if (_activation != FusedActivation.None)
                    {
                        ApplyActivation(_activation, row, band);
                    }

                    if (parts > 1)
                    {
                        new Span<T>(row, band).CopyTo(new Span<T>(_output + ((nint)s * _outputs) + start, band));
                    }
                }
            }
        }
    }

    /// <summary>The forward product as work that threads can share, reused per thread so a call allocates nothing.</summary>
    private sealed class ForwardWork<T> : IPartitionedWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static ForwardWork<T>? t_cached;

        private VectorWidth _width;
        private FusedActivation _activation;
        private T* _weights;
        private T* _bias;
        private T* _input;
        private T* _output;
        private int _batch;
        private int _inputs;
        private int _outputs;

        public static ForwardWork<T> Rent() => t_cached ??= new ForwardWork<T>();

        public void Set(VectorWidth width, T* weights, T* bias, T* input, T* output, int batch, int inputs, int outputs, FusedActivation activation)
        {
            _width = width;
            _activation = activation;
            _weights = weights;
            _bias = bias;
            _input = input;
            _output = output;
            _batch = batch;
            _inputs = inputs;
            _outputs = outputs;
        }

        public void Clear()
        {
            _weights = null;
            _bias = null;
            _input = null;
            _output = null;
        }

        public void Run(int part, int parts)
        {
            (int start, int end) = KernelThreads.PartRows(_batch, part, parts, MatrixProducts.DotRowBlock);
            MatrixProducts.DotRows(_width, _input, _inputs, _weights, _inputs, _bias, _output, _outputs, start, end, _outputs, _inputs);
            ApplyActivation(_activation, _output + ((nint)start * _outputs), (end - start) * _outputs);
        }
    }

    /// <summary>A broadcast product (both backward products, and the narrow-layer forward) as work that threads can share, reused per thread.</summary>
    private sealed class BroadcastWork<T> : IPartitionedWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static BroadcastWork<T>? t_cached;

        private VectorWidth _vectorWidth;
        private FusedActivation _activation;
        private T* _coefficients;
        private nint _rowStride;
        private nint _stepStride;
        private T* _rows;
        private int _rowWidth;
        private T* _destination;
        private int _destinationRows;
        private int _steps;
        private int _width;
        private bool _overwrite;

        public static BroadcastWork<T> Rent() => t_cached ??= new BroadcastWork<T>();

        public void Set(
            VectorWidth vectorWidth, T* coefficients, nint rowStride, nint stepStride, T* rowsOfB, int rowWidth, T* destination, int rows, int steps, int width,
            bool overwrite, FusedActivation activation)
        {
            _overwrite = overwrite;
            _vectorWidth = vectorWidth;
            _activation = activation;
            _coefficients = coefficients;
            _rowStride = rowStride;
            _stepStride = stepStride;
            _rows = rowsOfB;
            _rowWidth = rowWidth;
            _destination = destination;
            _destinationRows = rows;
            _steps = steps;
            _width = width;
        }

        public void Clear()
        {
            _coefficients = null;
            _rows = null;
            _destination = null;
        }

        public void Run(int part, int parts)
        {
            (int start, int end) = KernelThreads.PartRows(_destinationRows, part, parts, MatrixProducts.BroadcastRowBlock);
            MatrixProducts.BroadcastRows(_vectorWidth, _coefficients, _rowStride, _stepStride, _rows, _rowWidth, _destination, _width, start, end, _width, _steps, _overwrite);
            ApplyActivation(_activation, _destination + ((nint)start * _width), (end - start) * _width);
        }
    }
}
