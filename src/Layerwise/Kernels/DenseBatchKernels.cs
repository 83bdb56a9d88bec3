using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Layerwise.Kernels;

/// <summary>
/// Matrix-matrix kernels of a fully connected layer over a batch, for the training pass: Y = X·Wᵀ + b forward,
/// and dW += dYᵀ·X, db += Σ dY, dX = dY·W backward. X is row-major [batch, inputs], W [outputs, inputs], Y and dY
/// [batch, outputs].
/// </summary>
/// <remarks>
/// Each kernel keeps a block of four rows by one SIMD vector of accumulators in registers, so every value loaded
/// from memory feeds four multiply-adds instead of one as in a matrix-vector loop. The vectors are
/// <see cref="Vector{T}"/>, the widest width the JIT enables (256 bits on most x64 machines, including those
/// with AVX-512 unless the runtime is configured for 512-bit vectors); the scalar tail handles the remainder.
/// </remarks>
public static class DenseBatchKernels
{
    private const int Block = 4;

    /// <summary>Inputs per chunk of the forward product: 4 rows of X and W of this length take 8 KiB of floats.</summary>
    private const int KChunk = 256;

    /// <summary>Samples per chunk of the weight-gradient product: 64 rows of 784 floats take 196 KiB.</summary>
    private const int SampleChunk = 64;

    /// <summary>Computes output = input·Wᵀ + bias for every row of the batch.</summary>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="bias">b, [outputs], or empty for a layer without bias.</param>
    /// <param name="input">X, row-major [batch, inputs].</param>
    /// <param name="output">Y, row-major [batch, outputs]; must not overlap <paramref name="input"/>.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers((long)inputs * outputs, weights.Length, nameof(weights));
        if (!bias.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(outputs, bias.Length, nameof(bias));
        }

        int batch = ThrowHelper.GetRowCount(input.Length, inputs, nameof(input));
        ThrowHelper.ThrowIfLengthDiffers((long)batch * outputs, output.Length, nameof(output));

        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T x = ref MemoryMarshal.GetReference(input);
        output.Clear();

        // The inputs are taken in chunks of KChunk values, so the slice of W that one chunk needs stays in the L2
        // cache while every block of samples reuses it. Partial sums add up in the output.
        for (int k0 = 0; k0 < inputs; k0 += KChunk)
        {
            int length = Math.Min(KChunk, inputs - k0);
            ref T xChunk = ref Unsafe.Add(ref x, k0);
            ref T wChunk = ref Unsafe.Add(ref w, k0);
            int s = 0;
            for (; s <= batch - Block; s += Block)
            {
                int j = 0;
                for (; j <= outputs - Block; j += Block)
                {
                    Dot4x4(ref Unsafe.Add(ref xChunk, s * inputs), ref Unsafe.Add(ref wChunk, j * inputs), inputs, length, output, s, j, outputs);
                }

                for (; j < outputs; j++)
                {
                    for (int r = 0; r < Block; r++)
                    {
                        output[(s + r) * outputs + j] += Dot(ref Unsafe.Add(ref xChunk, (s + r) * inputs), ref Unsafe.Add(ref wChunk, j * inputs), length);
                    }
                }
            }

            for (; s < batch; s++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    output[s * outputs + j] += Dot(ref Unsafe.Add(ref xChunk, s * inputs), ref Unsafe.Add(ref wChunk, j * inputs), length);
                }
            }
        }

        if (!bias.IsEmpty)
        {
            for (int s = 0; s < batch; s++)
            {
                Span<T> row = output.Slice(s * outputs, outputs);
                for (int j = 0; j < outputs; j++)
                {
                    row[j] += bias[j];
                }
            }
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
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> inputGradient, int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers((long)inputs * outputs, weights.Length, nameof(weights));
        int batch = ThrowHelper.GetRowCount(input.Length, inputs, nameof(input));
        ThrowHelper.ThrowIfLengthDiffers((long)batch * outputs, outputGradient.Length, nameof(outputGradient));
        ThrowHelper.ThrowIfLengthDiffers((long)inputs * outputs, weightGradient.Length, nameof(weightGradient));
        if (!biasGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(outputs, biasGradient.Length, nameof(biasGradient));
            for (int s = 0; s < batch; s++)
            {
                ReadOnlySpan<T> row = outputGradient.Slice(s * outputs, outputs);
                for (int j = 0; j < outputs; j++)
                {
                    biasGradient[j] += row[j];
                }
            }
        }

        // dW[j, :] += Σ_s dY[s, j] · X[s, :]: four weight rows share each loaded slice of X. The samples go in chunks
        // small enough that a chunk of X stays in the L2 cache while every block of weight rows reads it.
        for (int s0 = 0; s0 < batch; s0 += SampleChunk)
        {
            int count = Math.Min(SampleChunk, batch - s0);
            AccumulateProducts(
                outputGradient.Slice(s0 * outputs, count * outputs), outputs, input.Slice(s0 * inputs, count * inputs), inputs, count, weightGradient, outputs);
        }

        if (inputGradient.IsEmpty)
        {
            return;
        }

        // dX[s, :] = Σ_j dY[s, j] · W[j, :]: the same kernel with the roles of batch and outputs exchanged.
        ThrowHelper.ThrowIfLengthDiffers((long)batch * inputs, inputGradient.Length, nameof(inputGradient));
        inputGradient.Clear();
        AccumulateProductsTransposed(outputGradient, outputs, weights, inputs, batch, inputGradient);
    }

    /// <summary>destination[j, :] += Σ_s coefficients[s, j] · rows[s, :] for j in [0, count).</summary>
    private static void AccumulateProducts<T>(
        ReadOnlySpan<T> coefficients, int coefficientWidth, ReadOnlySpan<T> rows, int width, int rowCount,
        Span<T> destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T c = ref MemoryMarshal.GetReference(coefficients);
        ref T source = ref MemoryMarshal.GetReference(rows);
        ref T target = ref MemoryMarshal.GetReference(destination);
        int vector = Vector.IsHardwareAccelerated && Vector<T>.IsSupported ? Vector<T>.Count : int.MaxValue;
        int j = 0;
        for (; j <= count - Block; j += Block)
        {
            int k = 0;
            for (; k <= width - vector; k += vector)
            {
                ref T d0 = ref Unsafe.Add(ref target, j * width + k);
                Vector<T> a0 = Vector.LoadUnsafe(ref d0);
                Vector<T> a1 = Vector.LoadUnsafe(ref Unsafe.Add(ref d0, width));
                Vector<T> a2 = Vector.LoadUnsafe(ref Unsafe.Add(ref d0, 2 * width));
                Vector<T> a3 = Vector.LoadUnsafe(ref Unsafe.Add(ref d0, 3 * width));
                for (int s = 0; s < rowCount; s++)
                {
                    Vector<T> xs = Vector.LoadUnsafe(ref Unsafe.Add(ref source, s * width + k));
                    ref T coefficient = ref Unsafe.Add(ref c, s * coefficientWidth + j);
                    a0 += new Vector<T>(coefficient) * xs;
                    a1 += new Vector<T>(Unsafe.Add(ref coefficient, 1)) * xs;
                    a2 += new Vector<T>(Unsafe.Add(ref coefficient, 2)) * xs;
                    a3 += new Vector<T>(Unsafe.Add(ref coefficient, 3)) * xs;
                }

                a0.StoreUnsafe(ref d0);
                a1.StoreUnsafe(ref Unsafe.Add(ref d0, width));
                a2.StoreUnsafe(ref Unsafe.Add(ref d0, 2 * width));
                a3.StoreUnsafe(ref Unsafe.Add(ref d0, 3 * width));
            }

            for (; k < width; k++)
            {
                for (int r = 0; r < Block; r++)
                {
                    T sum = Unsafe.Add(ref target, (j + r) * width + k);
                    for (int s = 0; s < rowCount; s++)
                    {
                        sum += Unsafe.Add(ref c, s * coefficientWidth + j + r) * Unsafe.Add(ref source, s * width + k);
                    }

                    Unsafe.Add(ref target, (j + r) * width + k) = sum;
                }
            }
        }

        for (; j < count; j++)
        {
            for (int s = 0; s < rowCount; s++)
            {
                T coefficient = Unsafe.Add(ref c, s * coefficientWidth + j);
                for (int k = 0; k < width; k++)
                {
                    Unsafe.Add(ref target, j * width + k) += coefficient * Unsafe.Add(ref source, s * width + k);
                }
            }
        }
    }

    /// <summary>destination[s, :] += Σ_j coefficients[s, j] · rows[j, :] for every s in [0, rowCount).</summary>
    private static void AccumulateProductsTransposed<T>(
        ReadOnlySpan<T> coefficients, int coefficientWidth, ReadOnlySpan<T> rows, int width, int rowCount, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T c = ref MemoryMarshal.GetReference(coefficients);
        ref T source = ref MemoryMarshal.GetReference(rows);
        ref T target = ref MemoryMarshal.GetReference(destination);
        int vector = Vector.IsHardwareAccelerated && Vector<T>.IsSupported ? Vector<T>.Count : int.MaxValue;
        int s = 0;
        for (; s <= rowCount - Block; s += Block)
        {
            int k = 0;
            for (; k <= width - vector; k += vector)
            {
                ref T d0 = ref Unsafe.Add(ref target, s * width + k);
                Vector<T> a0 = Vector.LoadUnsafe(ref d0);
                Vector<T> a1 = Vector.LoadUnsafe(ref Unsafe.Add(ref d0, width));
                Vector<T> a2 = Vector.LoadUnsafe(ref Unsafe.Add(ref d0, 2 * width));
                Vector<T> a3 = Vector.LoadUnsafe(ref Unsafe.Add(ref d0, 3 * width));
                ref T c0 = ref Unsafe.Add(ref c, s * coefficientWidth);
                for (int j = 0; j < coefficientWidth; j++)
                {
                    Vector<T> w = Vector.LoadUnsafe(ref Unsafe.Add(ref source, j * width + k));
                    a0 += new Vector<T>(Unsafe.Add(ref c0, j)) * w;
                    a1 += new Vector<T>(Unsafe.Add(ref c0, coefficientWidth + j)) * w;
                    a2 += new Vector<T>(Unsafe.Add(ref c0, 2 * coefficientWidth + j)) * w;
                    a3 += new Vector<T>(Unsafe.Add(ref c0, 3 * coefficientWidth + j)) * w;
                }

                a0.StoreUnsafe(ref d0);
                a1.StoreUnsafe(ref Unsafe.Add(ref d0, width));
                a2.StoreUnsafe(ref Unsafe.Add(ref d0, 2 * width));
                a3.StoreUnsafe(ref Unsafe.Add(ref d0, 3 * width));
            }

            for (; k < width; k++)
            {
                for (int r = 0; r < Block; r++)
                {
                    T sum = Unsafe.Add(ref target, (s + r) * width + k);
                    for (int j = 0; j < coefficientWidth; j++)
                    {
                        sum += Unsafe.Add(ref c, (s + r) * coefficientWidth + j) * Unsafe.Add(ref source, j * width + k);
                    }

                    Unsafe.Add(ref target, (s + r) * width + k) = sum;
                }
            }
        }

        for (; s < rowCount; s++)
        {
            for (int j = 0; j < coefficientWidth; j++)
            {
                T coefficient = Unsafe.Add(ref c, s * coefficientWidth + j);
                for (int k = 0; k < width; k++)
                {
                    Unsafe.Add(ref target, s * width + k) += coefficient * Unsafe.Add(ref source, j * width + k);
                }
            }
        }
    }

    /// <summary>
    /// Adds the 16 dot products of four input rows with four weight rows, over <paramref name="length"/> values of rows
    /// <paramref name="stride"/> apart, to output.
    /// </summary>
    private static void Dot4x4<T>(ref T x, ref T w, int stride, int length, Span<T> output, int row, int column, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> sums = stackalloc T[Block * Block];
        int k = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && length >= Vector<T>.Count)
        {
            // Sixteen accumulators: each loaded vector of X or W feeds four multiply-adds.
            Vector<T> s00 = default, s01 = default, s02 = default, s03 = default;
            Vector<T> s10 = default, s11 = default, s12 = default, s13 = default;
            Vector<T> s20 = default, s21 = default, s22 = default, s23 = default;
            Vector<T> s30 = default, s31 = default, s32 = default, s33 = default;
            for (; k <= length - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> w0 = Vector.LoadUnsafe(ref Unsafe.Add(ref w, k));
                Vector<T> w1 = Vector.LoadUnsafe(ref Unsafe.Add(ref w, stride + k));
                Vector<T> w2 = Vector.LoadUnsafe(ref Unsafe.Add(ref w, 2 * stride + k));
                Vector<T> w3 = Vector.LoadUnsafe(ref Unsafe.Add(ref w, 3 * stride + k));
                Vector<T> x0 = Vector.LoadUnsafe(ref Unsafe.Add(ref x, k));
                s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
                Vector<T> x1 = Vector.LoadUnsafe(ref Unsafe.Add(ref x, stride + k));
                s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
                Vector<T> x2 = Vector.LoadUnsafe(ref Unsafe.Add(ref x, 2 * stride + k));
                s20 += x2 * w0; s21 += x2 * w1; s22 += x2 * w2; s23 += x2 * w3;
                Vector<T> x3 = Vector.LoadUnsafe(ref Unsafe.Add(ref x, 3 * stride + k));
                s30 += x3 * w0; s31 += x3 * w1; s32 += x3 * w2; s33 += x3 * w3;
            }

            sums[0] = Vector.Sum(s00); sums[1] = Vector.Sum(s01); sums[2] = Vector.Sum(s02); sums[3] = Vector.Sum(s03);
            sums[4] = Vector.Sum(s10); sums[5] = Vector.Sum(s11); sums[6] = Vector.Sum(s12); sums[7] = Vector.Sum(s13);
            sums[8] = Vector.Sum(s20); sums[9] = Vector.Sum(s21); sums[10] = Vector.Sum(s22); sums[11] = Vector.Sum(s23);
            sums[12] = Vector.Sum(s30); sums[13] = Vector.Sum(s31); sums[14] = Vector.Sum(s32); sums[15] = Vector.Sum(s33);
        }
        else
        {
            sums.Clear();
        }

        for (; k < length; k++)
        {
            for (int r = 0; r < Block; r++)
            {
                T xv = Unsafe.Add(ref x, r * stride + k);
                for (int q = 0; q < Block; q++)
                {
                    sums[r * Block + q] += xv * Unsafe.Add(ref w, q * stride + k);
                }
            }
        }

        for (int r = 0; r < Block; r++)
        {
            for (int q = 0; q < Block; q++)
            {
                output[(row + r) * outputs + column + q] += sums[r * Block + q];
            }
        }
    }

    private static T Dot<T>(ref T x, ref T w, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        int k = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> accumulator = default;
            for (; k <= length - Vector<T>.Count; k += Vector<T>.Count)
            {
                accumulator += Vector.LoadUnsafe(ref Unsafe.Add(ref x, k)) * Vector.LoadUnsafe(ref Unsafe.Add(ref w, k));
            }

            sum = Vector.Sum(accumulator);
        }

        for (; k < length; k++)
        {
            sum += Unsafe.Add(ref x, k) * Unsafe.Add(ref w, k);
        }

        return sum;
    }
}
