using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>The dot-product form: each result is the dot product of a row of a and a row of b.</summary>
internal static unsafe partial class MatrixProducts
{
    /// <summary>
    /// The maximum number of values of the inner dimension per chunk of <see cref="DotRows{T}"/>. Each chunk ends in
    /// twelve horizontal sums, so long chunks pay off. On a 784-input layer, one chunk beat two of 392 by about 15%.
    /// </summary>
    public const int DotChunk = 800;

    /// <summary>Rows of a per block of <see cref="DotRows{T}"/>.</summary>
    public const int DotRowBlock = 4;

    /// <summary>Rows of b (columns of the result) per block of <see cref="DotRows{T}"/>.</summary>
    public const int DotColumnBlock = 3;

    /// <summary>
    /// Rows of b per panel of <see cref="DotRows{T}"/>, a multiple of <see cref="DotColumnBlock"/>. With the rows of a
    /// grouped to stay in the L2 cache, panels of 6 to 24 rows ran within about 2% of each other on a 784-input layer.
    /// </summary>
    public const int DotPanel = 24;

    /// <summary>
    /// Values of a per row group of <see cref="DotRows{T}"/>: 65,536 floats are 256 KiB, about half the L2 cache of
    /// the cores the kernels were tuned on. A group is a whole number of blocks of <see cref="DotRowBlock"/> rows.
    /// </summary>
    public const int DotGroupValues = 65536;

    /// <summary>
    /// For r in [rowStart, rowEnd) and j in [0, n): c[r·ldc + j] = bias[j] (or zero) + Σ_k a[r·lda + k] · b[j·ldb + k],
    /// on registers of <paramref name="width"/>. Rows of a and of b are contiguous along k, as X [batch, inputs] and
    /// W [outputs, inputs] are.
    /// </summary>
    public static void DotRows<T>(
        VectorWidth width, T* a, int lda, T* b, int ldb, T* bias, T* c, int ldc, int rowStart, int rowEnd, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = rowStart; r < rowEnd; r++)
        {
            T* row = c + ((nint)r * ldc);
            for (int j = 0; j < n; j++)
            {
                row[j] = bias == null ? T.Zero : bias[j];
            }
        }

        switch (width)
        {
            case VectorWidth.Bits512:
                DotRows<T, Vector512<T>, Vector512Width<T>>(a, lda, b, ldb, c, ldc, rowStart, rowEnd, n, k);
                break;
            case VectorWidth.Bits256:
                DotRows<T, Vector256<T>, Vector256Width<T>>(a, lda, b, ldb, c, ldc, rowStart, rowEnd, n, k);
                break;
            case VectorWidth.Bits128:
                DotRows<T, Vector128<T>, Vector128Width<T>>(a, lda, b, ldb, c, ldc, rowStart, rowEnd, n, k);
                break;
            default:
                DotRows<T, T, ScalarWidth<T>>(a, lda, b, ldb, c, ldc, rowStart, rowEnd, n, k);
                break;
        }
    }

    /// <summary>Adds Σ_k a[r·lda + k] · b[j·ldb + k] to c[r·ldc + j], in chunks of k, panels of b and groups of rows of a.</summary>
    private static void DotRows<T, TVector, TWidth>(T* a, int lda, T* b, int ldb, T* c, int ldc, int rowStart, int rowEnd, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : unmanaged
        where TWidth : struct, IVectorWidth<TVector, T>
    {
        // Within a chunk of the inner dimension, a panel of DotPanel rows of b stays in the nearest caches. Four rows of
        // a at a time meet every block of three rows in it, so each row of a is fetched once per panel, not per block.
        T* tile = stackalloc T[DotRowBlock * DotColumnBlock];
        int chunk = ChunkLength(k, DotChunk, TWidth.Count);
        for (int k0 = 0; k0 < k; k0 += chunk)
        {
            int length = Math.Min(chunk, k - k0);
            // Rows of a go in groups small enough to stay in the L2 cache while every panel of b passes over them.
            // So b, not a, streams from farther away, and each row of b is fetched once per group.
            int group = Math.Max(DotRowBlock, DotGroupValues / Math.Max(length, 1) / DotRowBlock * DotRowBlock);
            for (int groupStart = rowStart; groupStart < rowEnd; groupStart += group)
            {
                int groupEnd = Math.Min(groupStart + group, rowEnd);
                for (int panel = 0; panel < n; panel += DotPanel)
                {
                    int panelEnd = Math.Min(panel + DotPanel, n);
                    for (int r = groupStart; r < groupEnd; r += DotRowBlock)
                    {
                        int rows = Math.Min(DotRowBlock, groupEnd - r);
                        T* a0 = a + ((nint)r * lda) + k0;
                        T* cBlock = c + ((nint)r * ldc);
                        for (int j = panel; j < panelEnd; j += DotColumnBlock)
                        {
                            int columns = Math.Min(DotColumnBlock, panelEnd - j);
                            T* b0 = b + ((nint)j * ldb) + k0;
                            if (rows == DotRowBlock && columns == DotColumnBlock)
                            {
                                Dot4x3<T, TVector, TWidth>(
                                    a0, a0 + lda, a0 + (2 * lda), a0 + (3 * lda), b0, b0 + ldb, b0 + (2 * ldb), cBlock + j, ldc, length);
                            }
                            else
                            {
                                DotPartialBlock<T, TVector, TWidth>(a0, lda, rows, b0, ldb, columns, cBlock + j, ldc, tile, length);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Computes a block of fewer than four rows or three columns with the whole-block kernel, on a tile: missing rows
    /// and columns repeat the last real one, and only the real results are copied back. A lone dot product would chain
    /// every step through the multiply-add latency, several times slower per result than a block.
    /// </summary>
    private static void DotPartialBlock<T, TVector, TWidth>(
        T* a, int lda, int rows, T* b, int ldb, int columns, T* c, int ldc, T* tile, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : unmanaged
        where TWidth : struct, IVectorWidth<TVector, T>
    {
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                tile[(r * DotColumnBlock) + j] = c[((nint)r * ldc) + j];
            }
        }

        // Row r of the tile reads row min(r, rows − 1) of a; column j reads row min(j, columns − 1) of b.
        T* a1 = a + ((nint)Math.Min(1, rows - 1) * lda);
        T* a2 = a + ((nint)Math.Min(2, rows - 1) * lda);
        T* a3 = a + ((nint)Math.Min(3, rows - 1) * lda);
        T* b1 = b + ((nint)Math.Min(1, columns - 1) * ldb);
        T* b2 = b + ((nint)Math.Min(2, columns - 1) * ldb);
        Dot4x3<T, TVector, TWidth>(a, a1, a2, a3, b, b1, b2, tile, DotColumnBlock, length);
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                c[((nint)r * ldc) + j] = tile[(r * DotColumnBlock) + j];
            }
        }
    }

    /// <summary>Adds the twelve dot products of rows a, a1, a2, a3 with rows b, b1, b2, each <paramref name="length"/> long, to c.</summary>
    /// <remarks>Twelve accumulators and the three vectors of b take fifteen of the sixteen vector registers of AVX2.</remarks>
    private static void Dot4x3<T, TVector, TWidth>(T* a, T* a1, T* a2, T* a3, T* b, T* b1, T* b2, T* c, int ldc, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : unmanaged
        where TWidth : struct, IVectorWidth<TVector, T>
    {
        int vector = TWidth.Count;
        int k = 0;
        TVector s00 = default, s01 = default, s02 = default;
        TVector s10 = default, s11 = default, s12 = default;
        TVector s20 = default, s21 = default, s22 = default;
        TVector s30 = default, s31 = default, s32 = default;
        // Two steps per pass halve the loop's own instructions, and an odd last step runs alone. Each step is written
        // out because a helper would take the twelve sums by reference, and the JIT keeps such locals in memory.
        for (; k <= length - (2 * vector); k += 2 * vector)
        {
            TVector w0 = TWidth.Load(b + k);
            TVector w1 = TWidth.Load(b1 + k);
            TVector w2 = TWidth.Load(b2 + k);
            TVector x = TWidth.Load(a + k);
            s00 = TWidth.MultiplyAdd(x, w0, s00);
            s01 = TWidth.MultiplyAdd(x, w1, s01);
            s02 = TWidth.MultiplyAdd(x, w2, s02);
            x = TWidth.Load(a1 + k);
            s10 = TWidth.MultiplyAdd(x, w0, s10);
            s11 = TWidth.MultiplyAdd(x, w1, s11);
            s12 = TWidth.MultiplyAdd(x, w2, s12);
            x = TWidth.Load(a2 + k);
            s20 = TWidth.MultiplyAdd(x, w0, s20);
            s21 = TWidth.MultiplyAdd(x, w1, s21);
            s22 = TWidth.MultiplyAdd(x, w2, s22);
            x = TWidth.Load(a3 + k);
            s30 = TWidth.MultiplyAdd(x, w0, s30);
            s31 = TWidth.MultiplyAdd(x, w1, s31);
            s32 = TWidth.MultiplyAdd(x, w2, s32);

            w0 = TWidth.Load(b + k + vector);
            w1 = TWidth.Load(b1 + k + vector);
            w2 = TWidth.Load(b2 + k + vector);
            x = TWidth.Load(a + k + vector);
            s00 = TWidth.MultiplyAdd(x, w0, s00);
            s01 = TWidth.MultiplyAdd(x, w1, s01);
            s02 = TWidth.MultiplyAdd(x, w2, s02);
            x = TWidth.Load(a1 + k + vector);
            s10 = TWidth.MultiplyAdd(x, w0, s10);
            s11 = TWidth.MultiplyAdd(x, w1, s11);
            s12 = TWidth.MultiplyAdd(x, w2, s12);
            x = TWidth.Load(a2 + k + vector);
            s20 = TWidth.MultiplyAdd(x, w0, s20);
            s21 = TWidth.MultiplyAdd(x, w1, s21);
            s22 = TWidth.MultiplyAdd(x, w2, s22);
            x = TWidth.Load(a3 + k + vector);
            s30 = TWidth.MultiplyAdd(x, w0, s30);
            s31 = TWidth.MultiplyAdd(x, w1, s31);
            s32 = TWidth.MultiplyAdd(x, w2, s32);
        }

        if (k <= length - vector)
        {
            TVector w0 = TWidth.Load(b + k);
            TVector w1 = TWidth.Load(b1 + k);
            TVector w2 = TWidth.Load(b2 + k);
            TVector x = TWidth.Load(a + k);
            s00 = TWidth.MultiplyAdd(x, w0, s00);
            s01 = TWidth.MultiplyAdd(x, w1, s01);
            s02 = TWidth.MultiplyAdd(x, w2, s02);
            x = TWidth.Load(a1 + k);
            s10 = TWidth.MultiplyAdd(x, w0, s10);
            s11 = TWidth.MultiplyAdd(x, w1, s11);
            s12 = TWidth.MultiplyAdd(x, w2, s12);
            x = TWidth.Load(a2 + k);
            s20 = TWidth.MultiplyAdd(x, w0, s20);
            s21 = TWidth.MultiplyAdd(x, w1, s21);
            s22 = TWidth.MultiplyAdd(x, w2, s22);
            x = TWidth.Load(a3 + k);
            s30 = TWidth.MultiplyAdd(x, w0, s30);
            s31 = TWidth.MultiplyAdd(x, w1, s31);
            s32 = TWidth.MultiplyAdd(x, w2, s32);
            k += vector;
        }

        T* c1 = c + ldc;
        T* c2 = c1 + ldc;
        T* c3 = c2 + ldc;
        if (ReducesTogether<T, TVector>())
        {
            // The twelve lane sums in two reductions of eight vectors each (the second with four repeated), in the
            // order TWidth.Sum uses for a single vector.
            Vector256<float> first = LaneSums.Reduce8(
                Wide<T, TVector>(s00), Wide<T, TVector>(s01), Wide<T, TVector>(s02), Wide<T, TVector>(s10),
                Wide<T, TVector>(s11), Wide<T, TVector>(s12), Wide<T, TVector>(s20), Wide<T, TVector>(s21));
            Vector256<float> last = Wide<T, TVector>(s22);
            Vector256<float> second = LaneSums.Reduce8(
                last, Wide<T, TVector>(s30), Wide<T, TVector>(s31), Wide<T, TVector>(s32),
                last, Wide<T, TVector>(s30), Wide<T, TVector>(s31), Wide<T, TVector>(s32));
            c[0] += Tail(Lane<T>(first, 0), a, b, k, length);
            c[1] += Tail(Lane<T>(first, 1), a, b1, k, length);
            c[2] += Tail(Lane<T>(first, 2), a, b2, k, length);
            c1[0] += Tail(Lane<T>(first, 3), a1, b, k, length);
            c1[1] += Tail(Lane<T>(first, 4), a1, b1, k, length);
            c1[2] += Tail(Lane<T>(first, 5), a1, b2, k, length);
            c2[0] += Tail(Lane<T>(first, 6), a2, b, k, length);
            c2[1] += Tail(Lane<T>(first, 7), a2, b1, k, length);
            c2[2] += Tail(Lane<T>(second, 0), a2, b2, k, length);
            c3[0] += Tail(Lane<T>(second, 1), a3, b, k, length);
            c3[1] += Tail(Lane<T>(second, 2), a3, b1, k, length);
            c3[2] += Tail(Lane<T>(second, 3), a3, b2, k, length);
            return;
        }

        c[0] += Tail(TWidth.Sum(s00), a, b, k, length);
        c[1] += Tail(TWidth.Sum(s01), a, b1, k, length);
        c[2] += Tail(TWidth.Sum(s02), a, b2, k, length);
        c1[0] += Tail(TWidth.Sum(s10), a1, b, k, length);
        c1[1] += Tail(TWidth.Sum(s11), a1, b1, k, length);
        c1[2] += Tail(TWidth.Sum(s12), a1, b2, k, length);
        c2[0] += Tail(TWidth.Sum(s20), a2, b, k, length);
        c2[1] += Tail(TWidth.Sum(s21), a2, b1, k, length);
        c2[2] += Tail(TWidth.Sum(s22), a2, b2, k, length);
        c3[0] += Tail(TWidth.Sum(s30), a3, b, k, length);
        c3[1] += Tail(TWidth.Sum(s31), a3, b1, k, length);
        c3[2] += Tail(TWidth.Sum(s32), a3, b2, k, length);
    }

    /// <summary>Adds the products from k to length to sum, one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Tail<T>(T sum, T* a, T* b, int k, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (; k < length; k++)
        {
            sum = VectorMath.MultiplyAdd(a[k], b[k], sum);
        }

        return sum;
    }

    /// <summary>
    /// True where <see cref="Dot4x3{T, TVector, TWidth}"/> reduces its float sums eight at a time: 256- and 512-bit
    /// vectors with AVX. Their <see cref="IVectorWidth{TVector, T}.Sum"/> adds the lanes in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReducesTogether<T, TVector>()
        => typeof(T) == typeof(float) && LaneSums.IsPairwise
            && (typeof(TVector) == typeof(Vector256<float>) || typeof(TVector) == typeof(Vector512<float>));

    /// <summary>Returns a float sum as one 256-bit vector: itself, or a 512-bit one folded in half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Wide<T, TVector>(TVector value)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : unmanaged
        => typeof(TVector) == typeof(Vector512<float>)
            ? Vector512Width<float>.Fold(Unsafe.As<TVector, Vector512<float>>(ref value))
            : Unsafe.As<TVector, Vector256<float>>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Lane<T>(Vector256<float> value, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Unsafe.BitCast<float, T>(value.GetElement(index));
}
