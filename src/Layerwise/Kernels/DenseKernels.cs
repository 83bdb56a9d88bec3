using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>
/// Matrix-vector kernels of a fully connected layer with weight W [outputs, inputs] row-major and bias
/// b [outputs], for layers too large to unroll in generated code.
/// </summary>
public static class DenseKernels
{
    /// <summary>Computes output = W·input + b for one sample.</summary>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="bias">b, [outputs], or empty for a layer without bias.</param>
    /// <param name="input">x, [inputs].</param>
    /// <param name="output">y, [outputs]; must not overlap <paramref name="input"/>.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output,
        int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(inputs * outputs, weights.Length, nameof(weights));
        if (!bias.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(outputs, bias.Length, nameof(bias));
        }

        ThrowHelper.ThrowIfLengthDiffers(inputs, input.Length, nameof(input));
        ThrowHelper.ThrowIfLengthDiffers(outputs, output.Length, nameof(output));

        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T x = ref MemoryMarshal.GetReference(input);
        int j = 0;

        // Several rows at a time (eight for rows of a vector or more, four for shorter ones): each loaded slice of
        // the input feeds every row of the group, and the independent sums keep the multiply-add units busy.
        if (typeof(T) == typeof(float))
        {
            ref float wf = ref Unsafe.As<T, float>(ref w);
            ref float xf = ref Unsafe.As<T, float>(ref x);
            ref float yf = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(output));
            ref float bf = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(bias));
            // Eight outputs are stored as one 256-bit vector, so the activation's 256-bit loads that follow read
            // them straight from the store buffer. A wide load over two 128-bit stores would wait for both instead.
            if (Vector256.IsHardwareAccelerated && LaneSums.IsPairwise && inputs >= Vector256<float>.Count)
            {
                // Rows of at least one vector: eight rows at a time, reduced together. The last group repeats a row
                // where fewer than eight are left, and stores only its own lanes.
                for (; j < outputs; j += 8)
                {
                    int rows = Math.Min(8, outputs - j);
                    Vector256<float> sums = SingleVectorKernels.Dot8(ref Unsafe.Add(ref wf, j * inputs), inputs, rows, ref xf);
                    if (rows == 8)
                    {
                        if (!bias.IsEmpty)
                        {
                            sums += Vector256.LoadUnsafe(ref bf, (nuint)j);
                        }

                        sums.StoreUnsafe(ref yf, (nuint)j);
                    }
                    else
                    {
                        StoreFirst(sums, ref bias.IsEmpty ? ref Unsafe.NullRef<float>() : ref Unsafe.Add(ref bf, j), ref Unsafe.Add(ref yf, j), rows);
                    }
                }

                return;
            }

            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= outputs - 8; j += 8)
                {
                    Vector128<float> low = SingleVectorKernels.Dot4(ref Unsafe.Add(ref wf, j * inputs), inputs, ref xf);
                    Vector128<float> high = SingleVectorKernels.Dot4(ref Unsafe.Add(ref wf, (j + 4) * inputs), inputs, ref xf);
                    Vector256<float> sums = Vector256.Create(low, high);
                    if (!bias.IsEmpty)
                    {
                        sums += Vector256.LoadUnsafe(ref bf, (nuint)j);
                    }

                    sums.StoreUnsafe(ref yf, (nuint)j);
                }
            }

            for (; j <= outputs - 4; j += 4)
            {
                Vector128<float> sums = SingleVectorKernels.Dot4(ref Unsafe.Add(ref wf, j * inputs), inputs, ref xf);
                if (!bias.IsEmpty)
                {
                    sums += Vector128.LoadUnsafe(ref bf, (nuint)j);
                }

                sums.StoreUnsafe(ref yf, (nuint)j);
            }

            for (; j < outputs; j++)
            {
                float sum = SingleVectorKernels.Dot(ref Unsafe.Add(ref wf, j * inputs), inputs, ref xf);
                Unsafe.Add(ref yf, j) = bias.IsEmpty ? sum : Unsafe.Add(ref bf, j) + sum;
            }

            return;
        }

        for (; j <= outputs - 4; j += 4)
        {
            Dot4(ref Unsafe.Add(ref w, j * inputs), inputs, ref x, out T s0, out T s1, out T s2, out T s3);
            if (bias.IsEmpty)
            {
                output[j] = s0;
                output[j + 1] = s1;
                output[j + 2] = s2;
                output[j + 3] = s3;
            }
            else
            {
                output[j] = bias[j] + s0;
                output[j + 1] = bias[j + 1] + s1;
                output[j + 2] = bias[j + 2] + s2;
                output[j + 3] = bias[j + 3] + s3;
            }
        }

        for (; j < outputs; j++)
        {
            T sum = TensorPrimitives.Dot(weights.Slice(j * inputs, inputs), input);
            output[j] = bias.IsEmpty ? sum : bias[j] + sum;
        }
    }

    /// <summary>Stores bias + the first <paramref name="count"/> lanes of <paramref name="sums"/>. A null bias adds nothing.</summary>
    /// <remarks>The lanes are read from a copy, so the caller's vector stays in a register.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst(Vector256<float> sums, ref float bias, ref float destination, int count)
    {
        Vector256<float> copy = sums;
        ref float lanes = ref Unsafe.As<Vector256<float>, float>(ref copy);
        bool hasBias = !Unsafe.IsNullRef(ref bias);
        for (int lane = 0; lane < count; lane++)
        {
            float sum = Unsafe.Add(ref lanes, lane);
            Unsafe.Add(ref destination, lane) = hasBias ? Unsafe.Add(ref bias, lane) + sum : sum;
        }
    }

    /// <summary>Returns the dot products of four consecutive rows of <paramref name="length"/> values with x.</summary>
    private static void Dot4<T>(ref T w, int length, ref T x, out T s0, out T s1, out T s2, out T s3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w1 = ref Unsafe.Add(ref w, length);
        ref T w2 = ref Unsafe.Add(ref w1, length);
        ref T w3 = ref Unsafe.Add(ref w2, length);
        int k = 0;
        s0 = s1 = s2 = s3 = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && length >= Vector<T>.Count)
        {
            int width = Vector<T>.Count;
            Vector<T> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector<T> b0 = default, b1 = default, b2 = default, b3 = default;
            for (; k <= length - (2 * width); k += 2 * width)
            {
                Vector<T> xv = Vector.LoadUnsafe(ref x, (nuint)k);
                a0 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w, (nuint)k), xv, a0);
                a1 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w1, (nuint)k), xv, a1);
                a2 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w2, (nuint)k), xv, a2);
                a3 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w3, (nuint)k), xv, a3);
                int next = k + width;
                xv = Vector.LoadUnsafe(ref x, (nuint)next);
                b0 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w, (nuint)next), xv, b0);
                b1 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w1, (nuint)next), xv, b1);
                b2 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w2, (nuint)next), xv, b2);
                b3 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w3, (nuint)next), xv, b3);
            }

            if (k <= length - width)
            {
                Vector<T> xv = Vector.LoadUnsafe(ref x, (nuint)k);
                a0 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w, (nuint)k), xv, a0);
                a1 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w1, (nuint)k), xv, a1);
                a2 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w2, (nuint)k), xv, a2);
                a3 = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref w3, (nuint)k), xv, a3);
                k += width;
            }

            s0 = Vector.Sum(a0 + b0);
            s1 = Vector.Sum(a1 + b1);
            s2 = Vector.Sum(a2 + b2);
            s3 = Vector.Sum(a3 + b3);
        }

        // A short row or the rest of a long one: one 128-bit step where it fits, then scalars.
        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && k <= length - Vector128<T>.Count)
        {
            Vector128<T> xv = Vector128.LoadUnsafe(ref x, (nuint)k);
            s0 += Vector128.Sum(Vector128.LoadUnsafe(ref w, (nuint)k) * xv);
            s1 += Vector128.Sum(Vector128.LoadUnsafe(ref w1, (nuint)k) * xv);
            s2 += Vector128.Sum(Vector128.LoadUnsafe(ref w2, (nuint)k) * xv);
            s3 += Vector128.Sum(Vector128.LoadUnsafe(ref w3, (nuint)k) * xv);
            k += Vector128<T>.Count;
        }

        for (; k < length; k++)
        {
            T xk = Unsafe.Add(ref x, k);
            s0 = VectorMath.MultiplyAdd(Unsafe.Add(ref w, k), xk, s0);
            s1 = VectorMath.MultiplyAdd(Unsafe.Add(ref w1, k), xk, s1);
            s2 = VectorMath.MultiplyAdd(Unsafe.Add(ref w2, k), xk, s2);
            s3 = VectorMath.MultiplyAdd(Unsafe.Add(ref w3, k), xk, s3);
        }
    }

    /// <summary>
    /// Accumulates the gradients of one sample: weightGradient += g ⊗ x, biasGradient += g, and writes
    /// inputGradient = Wᵀ·g unless <paramref name="inputGradient"/> is empty (the first layer needs none).
    /// </summary>
    /// <param name="weights">W, row-major [outputs, inputs].</param>
    /// <param name="input">x, the layer's input in the forward pass, [inputs].</param>
    /// <param name="outputGradient">g = d(loss)/d(W·x + b), [outputs].</param>
    /// <param name="weightGradient">[outputs, inputs], accumulated into.</param>
    /// <param name="biasGradient">[outputs], accumulated into, or empty for a layer without bias.</param>
    /// <param name="inputGradient">[inputs] overwritten, or empty to skip.</param>
    /// <param name="inputs">The number of inputs.</param>
    /// <param name="outputs">The number of outputs.</param>
    /// <exception cref="ArgumentException">A span length does not match the sizes.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> weights, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> inputGradient,
        int inputs, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(inputs * outputs, weights.Length, nameof(weights));
        ThrowHelper.ThrowIfLengthDiffers(inputs, input.Length, nameof(input));
        ThrowHelper.ThrowIfLengthDiffers(outputs, outputGradient.Length, nameof(outputGradient));
        ThrowHelper.ThrowIfLengthDiffers(inputs * outputs, weightGradient.Length, nameof(weightGradient));
        if (!biasGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(outputs, biasGradient.Length, nameof(biasGradient));
            TensorPrimitives.Add(biasGradient, outputGradient, biasGradient);
        }

        if (!inputGradient.IsEmpty)
        {
            ThrowHelper.ThrowIfLengthDiffers(inputs, inputGradient.Length, nameof(inputGradient));
            inputGradient.Clear();
        }

        for (int j = 0; j < outputs; j++)
        {
            T g = outputGradient[j];
            Span<T> weightGradientRow = weightGradient.Slice(j * inputs, inputs);
            TensorPrimitives.MultiplyAdd(input, g, weightGradientRow, weightGradientRow);
            if (!inputGradient.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(weights.Slice(j * inputs, inputs), g, inputGradient, inputGradient);
            }
        }
    }
}
