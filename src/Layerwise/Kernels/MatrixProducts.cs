using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Layerwise.Kernels;

/// <summary>
/// The two register-blocked matrix products behind <see cref="DenseBatchKernels"/>, over a range of output rows so
/// that threads can share one product.
/// </summary>
/// <remarks>
/// <para>
/// Both keep twelve <see cref="Vector{T}"/> accumulators in registers. A core with two multiply-add units of four
/// cycles' latency (common on current x64 cores) needs at least eight independent sums to keep both busy, and twelve
/// leave room for the loads. The vector width is the one the JIT picks for <see cref="Vector{T}"/>: 128 or 256 bits,
/// or 512 when the runtime enables it. Without hardware vectors the same loops run on scalars.
/// </para>
/// <para>
/// Every element of a result is computed by the same sequence of operations whichever block, remainder loop or
/// thread reaches it, so a product does not depend on its shape's tiling or on the thread count.
/// </para>
/// </remarks>
internal static unsafe class MatrixProducts
{
    /// <summary>Values of the inner dimension per chunk of <see cref="DotRows{T}"/>: the three rows of b that a block keeps take 3 KiB.</summary>
    public const int DotChunk = 256;

    /// <summary>Rows of a per block of <see cref="DotRows{T}"/>.</summary>
    public const int DotRowBlock = 4;

    /// <summary>Rows of b (columns of the result) per block of <see cref="DotRows{T}"/>.</summary>
    public const int DotColumnBlock = 3;

    /// <summary>Values of the inner dimension per chunk of <see cref="BroadcastRows{T}"/>: a panel of 256 by two vectors.</summary>
    public const int BroadcastChunk = 256;

    /// <summary>Rows per block of <see cref="BroadcastRows{T}"/>.</summary>
    public const int BroadcastRowBlock = 6;

    private static int VectorCount<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Vector.IsHardwareAccelerated && Vector<T>.IsSupported ? Vector<T>.Count : int.MaxValue / 4;

    /// <summary>
    /// For r in [rowStart, rowEnd) and j in [0, n): c[r·ldc + j] = bias[j] (or zero) + Σ_k a[r·lda + k] · b[j·ldb + k].
    /// Rows of a and of b are contiguous along k, as X [batch, inputs] and W [outputs, inputs] are.
    /// </summary>
    public static void DotRows<T>(T* a, int lda, T* b, int ldb, T* bias, T* c, int ldc, int rowStart, int rowEnd, int n, int k)
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

        // The chunk of three rows of b stays in the L1 cache while every block of rows of a passes over it.
        for (int k0 = 0; k0 < k; k0 += DotChunk)
        {
            int length = Math.Min(DotChunk, k - k0);
            int j = 0;
            for (; j <= n - DotColumnBlock; j += DotColumnBlock)
            {
                T* bBlock = b + ((nint)j * ldb) + k0;
                int r = rowStart;
                for (; r <= rowEnd - DotRowBlock; r += DotRowBlock)
                {
                    Dot4x3(a + ((nint)r * lda) + k0, lda, bBlock, ldb, c + ((nint)r * ldc) + j, ldc, length);
                }

                for (; r < rowEnd; r++)
                {
                    T* aRow = a + ((nint)r * lda) + k0;
                    T* cRow = c + ((nint)r * ldc) + j;
                    for (int q = 0; q < DotColumnBlock; q++)
                    {
                        cRow[q] += Dot(aRow, bBlock + ((nint)q * ldb), length);
                    }
                }
            }

            for (; j < n; j++)
            {
                for (int r = rowStart; r < rowEnd; r++)
                {
                    c[((nint)r * ldc) + j] += Dot(a + ((nint)r * lda) + k0, b + ((nint)j * ldb) + k0, length);
                }
            }
        }
    }

    /// <summary>
    /// For r in [rowStart, rowEnd) and j in [0, n): c[r·ldc + j] += Σ_p a[r·aRowStride + p·aStepStride] · b[p·ldb + j].
    /// Each coefficient of a is broadcast against a contiguous run of a row of b.
    /// </summary>
    public static void BroadcastRows<T>(
        T* a, nint aRowStride, nint aStepStride, T* b, int ldb, T* c, int ldc, int rowStart, int rowEnd, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int vector = VectorCount<T>();
        for (int p0 = 0; p0 < k; p0 += BroadcastChunk)
        {
            int length = Math.Min(BroadcastChunk, k - p0);
            T* aChunk = a + (p0 * aStepStride);
            T* bChunk = b + ((nint)p0 * ldb);

            // Columns outer, rows inner: the panel of b (length rows by two vectors) stays in the L1 cache while every
            // block of rows reads it.
            int j = 0;
            for (; j <= n - (2 * vector); j += 2 * vector)
            {
                int r = rowStart;
                for (; r <= rowEnd - BroadcastRowBlock; r += BroadcastRowBlock)
                {
                    Broadcast6x2(aChunk + (r * aRowStride), aRowStride, aStepStride, bChunk + j, ldb, c + ((nint)r * ldc) + j, ldc, length);
                }

                for (; r < rowEnd; r++)
                {
                    Broadcast1x2(aChunk + (r * aRowStride), aStepStride, bChunk + j, ldb, c + ((nint)r * ldc) + j, length);
                }
            }

            for (; j <= n - vector; j += vector)
            {
                for (int r = rowStart; r < rowEnd; r++)
                {
                    Broadcast1x1(aChunk + (r * aRowStride), aStepStride, bChunk + j, ldb, c + ((nint)r * ldc) + j, length);
                }
            }

            for (; j < n; j++)
            {
                for (int r = rowStart; r < rowEnd; r++)
                {
                    T* coefficient = aChunk + (r * aRowStride);
                    T* target = c + ((nint)r * ldc) + j;
                    T sum = *target;
                    for (int p = 0; p < length; p++)
                    {
                        sum = VectorMath.MultiplyAdd(coefficient[p * aStepStride], bChunk[((nint)p * ldb) + j], sum);
                    }

                    *target = sum;
                }
            }
        }
    }

    /// <summary>Adds the twelve dot products of four rows of a with three rows of b, each <paramref name="length"/> long, to c.</summary>
    /// <remarks>Twelve accumulators and the three vectors of b take fifteen of the sixteen vector registers of x64.</remarks>
    private static void Dot4x3<T>(T* a, int lda, T* b, int ldb, T* c, int ldc, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int vector = VectorCount<T>();
        int k = 0;
        Vector<T> s00 = default, s01 = default, s02 = default;
        Vector<T> s10 = default, s11 = default, s12 = default;
        Vector<T> s20 = default, s21 = default, s22 = default;
        Vector<T> s30 = default, s31 = default, s32 = default;
        T* a1 = a + lda;
        T* a2 = a1 + lda;
        T* a3 = a2 + lda;
        T* b1 = b + ldb;
        T* b2 = b1 + ldb;
        for (; k <= length - vector; k += vector)
        {
            Vector<T> w0 = Vector.Load(b + k);
            Vector<T> w1 = Vector.Load(b1 + k);
            Vector<T> w2 = Vector.Load(b2 + k);
            Vector<T> x = Vector.Load(a + k);
            s00 = VectorMath.MultiplyAdd(x, w0, s00);
            s01 = VectorMath.MultiplyAdd(x, w1, s01);
            s02 = VectorMath.MultiplyAdd(x, w2, s02);
            x = Vector.Load(a1 + k);
            s10 = VectorMath.MultiplyAdd(x, w0, s10);
            s11 = VectorMath.MultiplyAdd(x, w1, s11);
            s12 = VectorMath.MultiplyAdd(x, w2, s12);
            x = Vector.Load(a2 + k);
            s20 = VectorMath.MultiplyAdd(x, w0, s20);
            s21 = VectorMath.MultiplyAdd(x, w1, s21);
            s22 = VectorMath.MultiplyAdd(x, w2, s22);
            x = Vector.Load(a3 + k);
            s30 = VectorMath.MultiplyAdd(x, w0, s30);
            s31 = VectorMath.MultiplyAdd(x, w1, s31);
            s32 = VectorMath.MultiplyAdd(x, w2, s32);
        }

        T* c1 = c + ldc;
        T* c2 = c1 + ldc;
        T* c3 = c2 + ldc;
        c[0] += Finish(s00, a, b, k, length);
        c[1] += Finish(s01, a, b1, k, length);
        c[2] += Finish(s02, a, b2, k, length);
        c1[0] += Finish(s10, a1, b, k, length);
        c1[1] += Finish(s11, a1, b1, k, length);
        c1[2] += Finish(s12, a1, b2, k, length);
        c2[0] += Finish(s20, a2, b, k, length);
        c2[1] += Finish(s21, a2, b1, k, length);
        c2[2] += Finish(s22, a2, b2, k, length);
        c3[0] += Finish(s30, a3, b, k, length);
        c3[1] += Finish(s31, a3, b1, k, length);
        c3[2] += Finish(s32, a3, b2, k, length);
    }

    /// <summary>One dot product computed exactly as <see cref="Dot4x3{T}"/> computes each of its twelve.</summary>
    private static T Dot<T>(T* a, T* b, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int vector = VectorCount<T>();
        int k = 0;
        Vector<T> sum = default;
        for (; k <= length - vector; k += vector)
        {
            sum = VectorMath.MultiplyAdd(Vector.Load(a + k), Vector.Load(b + k), sum);
        }

        return Finish(sum, a, b, k, length);
    }

    /// <summary>Adds the lanes of a vector sum, then the products left over past the last whole vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Finish<T>(Vector<T> lanes, T* a, T* b, int k, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = Vector.Sum(lanes);
        for (; k < length; k++)
        {
            sum = VectorMath.MultiplyAdd(a[k], b[k], sum);
        }

        return sum;
    }

    /// <summary>Six rows of c by two vectors: c[r, :] += Σ_p a(r, p) · b[p, :].</summary>
    private static void Broadcast6x2<T>(T* a, nint rowStride, nint stepStride, T* b, int ldb, T* c, int ldc, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int vector = Vector<T>.Count;
        T* c1 = c + ldc;
        T* c2 = c1 + ldc;
        T* c3 = c2 + ldc;
        T* c4 = c3 + ldc;
        T* c5 = c4 + ldc;
        Vector<T> s00 = Vector.Load(c), s01 = Vector.Load(c + vector);
        Vector<T> s10 = Vector.Load(c1), s11 = Vector.Load(c1 + vector);
        Vector<T> s20 = Vector.Load(c2), s21 = Vector.Load(c2 + vector);
        Vector<T> s30 = Vector.Load(c3), s31 = Vector.Load(c3 + vector);
        Vector<T> s40 = Vector.Load(c4), s41 = Vector.Load(c4 + vector);
        Vector<T> s50 = Vector.Load(c5), s51 = Vector.Load(c5 + vector);
        for (int p = 0; p < length; p++)
        {
            Vector<T> b0 = Vector.Load(b);
            Vector<T> b1 = Vector.Load(b + vector);
            Vector<T> x = new(a[0]);
            s00 = VectorMath.MultiplyAdd(x, b0, s00);
            s01 = VectorMath.MultiplyAdd(x, b1, s01);
            x = new(a[rowStride]);
            s10 = VectorMath.MultiplyAdd(x, b0, s10);
            s11 = VectorMath.MultiplyAdd(x, b1, s11);
            x = new(a[2 * rowStride]);
            s20 = VectorMath.MultiplyAdd(x, b0, s20);
            s21 = VectorMath.MultiplyAdd(x, b1, s21);
            x = new(a[3 * rowStride]);
            s30 = VectorMath.MultiplyAdd(x, b0, s30);
            s31 = VectorMath.MultiplyAdd(x, b1, s31);
            x = new(a[4 * rowStride]);
            s40 = VectorMath.MultiplyAdd(x, b0, s40);
            s41 = VectorMath.MultiplyAdd(x, b1, s41);
            x = new(a[5 * rowStride]);
            s50 = VectorMath.MultiplyAdd(x, b0, s50);
            s51 = VectorMath.MultiplyAdd(x, b1, s51);
            a += stepStride;
            b += ldb;
        }

        s00.Store(c); s01.Store(c + vector);
        s10.Store(c1); s11.Store(c1 + vector);
        s20.Store(c2); s21.Store(c2 + vector);
        s30.Store(c3); s31.Store(c3 + vector);
        s40.Store(c4); s41.Store(c4 + vector);
        s50.Store(c5); s51.Store(c5 + vector);
    }

    /// <summary>One row of c by two vectors, computed as each row of <see cref="Broadcast6x2{T}"/> is.</summary>
    private static void Broadcast1x2<T>(T* a, nint stepStride, T* b, int ldb, T* c, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int vector = Vector<T>.Count;
        Vector<T> s0 = Vector.Load(c), s1 = Vector.Load(c + vector);
        for (int p = 0; p < length; p++)
        {
            Vector<T> x = new(*a);
            s0 = VectorMath.MultiplyAdd(x, Vector.Load(b), s0);
            s1 = VectorMath.MultiplyAdd(x, Vector.Load(b + vector), s1);
            a += stepStride;
            b += ldb;
        }

        s0.Store(c);
        s1.Store(c + vector);
    }

    /// <summary>One row of c by one vector.</summary>
    private static void Broadcast1x1<T>(T* a, nint stepStride, T* b, int ldb, T* c, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> s = Vector.Load(c);
        for (int p = 0; p < length; p++)
        {
            s = VectorMath.MultiplyAdd(new Vector<T>(*a), Vector.Load(b), s);
            a += stepStride;
            b += ldb;
        }

        s.Store(c);
    }
}
