using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>Values of the inner dimension per chunk of <see cref="BroadcastRows{T}"/>: a panel of 256 by two vectors.</summary>
    public const int BroadcastChunk = 256;

    /// <summary>Rows per block of <see cref="BroadcastRows{T}"/>.</summary>
    public const int BroadcastRowBlock = 6;

    /// <summary>
    /// Returns a chunk length of at most about <paramref name="limit"/> that splits <paramref name="k"/> into equal
    /// whole vectors, so no chunk is a short remainder that pays for its horizontal sums over a few steps.
    /// </summary>
    private static int ChunkLength<T>(int k, int limit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = (k + limit - 1) / limit;
        int vector = Vector.IsHardwareAccelerated && Vector<T>.IsSupported ? Vector<T>.Count : 1;
        int length = (k + chunks - 1) / chunks;
        return Math.Max(1, (length + vector - 1) / vector * vector);
    }

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

        // Within a chunk of the inner dimension, a panel of DotPanel rows of b stays in the nearest caches. Four rows of
        // a at a time meet every block of three rows in it, so each row of a is fetched once per panel, not per block.
        int blockedColumns = n - (n % DotColumnBlock);
        int chunk = ChunkLength<T>(k, DotChunk);
        for (int k0 = 0; k0 < k; k0 += chunk)
        {
            int length = Math.Min(chunk, k - k0);
            // Rows of a go in groups small enough to stay in the L2 cache while every panel of b passes over them.
            // So b, not a, streams from farther away, and each row of b is fetched once per group.
            int group = Math.Max(DotRowBlock, DotGroupValues / Math.Max(length, 1) / DotRowBlock * DotRowBlock);
            for (int groupStart = rowStart; groupStart < rowEnd; groupStart += group)
            {
                int groupEnd = Math.Min(groupStart + group, rowEnd);
                for (int panel = 0; panel < blockedColumns; panel += DotPanel)
                {
                    int panelEnd = Math.Min(panel + DotPanel, blockedColumns);
                    int r = groupStart;
                    for (; r <= groupEnd - DotRowBlock; r += DotRowBlock)
                    {
                        T* aBlock = a + ((nint)r * lda) + k0;
                        T* cBlock = c + ((nint)r * ldc);
                        for (int j = panel; j < panelEnd; j += DotColumnBlock)
                        {
                            Dot4x3(aBlock, lda, b + ((nint)j * ldb) + k0, ldb, cBlock + j, ldc, length);
                        }
                    }

                    for (; r < groupEnd; r++)
                    {
                        T* aRow = a + ((nint)r * lda) + k0;
                        T* cRow = c + ((nint)r * ldc);
                        for (int j = panel; j < panelEnd; j++)
                        {
                            cRow[j] += Dot(aRow, b + ((nint)j * ldb) + k0, length);
                        }
                    }
                }
            }

            for (int j = blockedColumns; j < n; j++)
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
        // Each chunk of coefficients is copied into blocks of six rows, step by step, so the kernel reads them in
        // order with fixed offsets. In place they can be a whole row of dY apart (dYᵀ in the weight gradient), and a
        // power-of-two row length maps such steps onto a few sets of the L1 cache.
        int rows = rowEnd - rowStart;
        T[] buffer = ThreadScratch<T>.Coefficients(rows * Math.Min(k, BroadcastChunk));
        fixed (T* packed = buffer)
        {
            for (int p0 = 0; p0 < k; p0 += BroadcastChunk)
            {
                int length = Math.Min(BroadcastChunk, k - p0);
                var coefficients = PackedCoefficients<T>.Pack(a + (p0 * aStepStride), aRowStride, aStepStride, rowStart, rowEnd, length, packed);
                BroadcastChunkRows(coefficients, b + ((nint)p0 * ldb), ldb, c, ldc, rowStart, rowEnd, n, length);
            }
        }
    }

    /// <summary>One chunk of <see cref="BroadcastRows{T}"/>: every row and column, over <paramref name="length"/> steps.</summary>
    private static void BroadcastChunkRows<T>(
        PackedCoefficients<T> coefficients, T* b, int ldb, T* c, int ldc, int rowStart, int rowEnd, int n, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int vector = VectorCount<T>();

        // Columns outer, rows inner: the panel of b (length rows by two vectors) is copied into a contiguous, 64-byte
        // aligned buffer, which stays in the L1 cache while every block of rows reads it in order. In place its rows
        // are a whole row of b apart and may straddle cache lines.
        int j = 0;
        if (j <= n - (2 * vector))
        {
            int panelWidth = 2 * vector;
            T[] buffer = ThreadScratch<T>.Panel((length * panelWidth) + (64 / sizeof(T)));
            fixed (T* unaligned = buffer)
            {
                T* panel = (T*)(((nint)unaligned + 63) & ~(nint)63);
                for (; j <= n - panelWidth; j += panelWidth)
                {
                    for (int p = 0; p < length; p++)
                    {
                        T* source = b + ((nint)p * ldb) + j;
                        T* target = panel + ((nint)p * panelWidth);
                        Vector.Load(source).Store(target);
                        Vector.Load(source + vector).Store(target + vector);
                    }

                    int r = rowStart;
                    for (; r <= rowEnd - BroadcastRowBlock; r += BroadcastRowBlock)
                    {
                        Broadcast6x2(coefficients.Block(r), panel, panelWidth, c + ((nint)r * ldc) + j, ldc, length);
                    }

                    for (; r < rowEnd; r++)
                    {
                        T* row = coefficients.Row(r, out nint stepStride);
                        Broadcast1x2(row, stepStride, panel, panelWidth, c + ((nint)r * ldc) + j, length);
                    }
                }
            }
        }

        // The remaining columns go one vector, then one column, at a time, still six rows per block so that six
        // independent sums hide the multiply-add latency.
        for (; j <= n - vector; j += vector)
        {
            int r = rowStart;
            for (; r <= rowEnd - BroadcastRowBlock; r += BroadcastRowBlock)
            {
                Broadcast6x1(coefficients.Block(r), b + j, ldb, c + ((nint)r * ldc) + j, ldc, length);
            }

            for (; r < rowEnd; r++)
            {
                T* row = coefficients.Row(r, out nint stepStride);
                Broadcast1x1(row, stepStride, b + j, ldb, c + ((nint)r * ldc) + j, length);
            }
        }

        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && Vector128<T>.Count < vector)
        {
            for (; j <= n - Vector128<T>.Count; j += Vector128<T>.Count)
            {
                int r = rowStart;
                for (; r <= rowEnd - BroadcastRowBlock; r += BroadcastRowBlock)
                {
                    Broadcast6x1Narrow(coefficients.Block(r), b + j, ldb, c + ((nint)r * ldc) + j, ldc, length);
                }

                for (; r < rowEnd; r++)
                {
                    T* row = coefficients.Row(r, out nint stepStride);
                    Vector128<T> sum = Vector128.Load(c + ((nint)r * ldc) + j);
                    for (int p = 0; p < length; p++)
                    {
                        sum = VectorMath.MultiplyAdd(Vector128.Create(row[p * stepStride]), Vector128.Load(b + ((nint)p * ldb) + j), sum);
                    }

                    sum.Store(c + ((nint)r * ldc) + j);
                }
            }
        }

        for (; j < n; j++)
        {
            int r = rowStart;
            for (; r <= rowEnd - BroadcastRowBlock; r += BroadcastRowBlock)
            {
                BroadcastColumn6(coefficients.Block(r), b + j, ldb, c + ((nint)r * ldc) + j, ldc, length);
            }

            for (; r < rowEnd; r++)
            {
                T* row = coefficients.Row(r, out nint stepStride);
                T* target = c + ((nint)r * ldc) + j;
                T sum = *target;
                for (int p = 0; p < length; p++)
                {
                    sum = VectorMath.MultiplyAdd(row[p * stepStride], b[((nint)p * ldb) + j], sum);
                }

                *target = sum;
            }
        }
    }

    /// <summary>Six rows of c by one vector, from a packed block of coefficients.</summary>
    private static void Broadcast6x1<T>(T* a, T* b, nint ldb, T* c, nint ldc, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> s0 = Vector.Load(c), s1 = Vector.Load(c + ldc), s2 = Vector.Load(c + (2 * ldc));
        Vector<T> s3 = Vector.Load(c + (3 * ldc)), s4 = Vector.Load(c + (4 * ldc)), s5 = Vector.Load(c + (5 * ldc));
        T* end = a + ((nint)length * BroadcastRowBlock);
        for (; a < end; a += BroadcastRowBlock)
        {
            Vector<T> row = Vector.Load(b);
            s0 = VectorMath.MultiplyAdd(new Vector<T>(a[0]), row, s0);
            s1 = VectorMath.MultiplyAdd(new Vector<T>(a[1]), row, s1);
            s2 = VectorMath.MultiplyAdd(new Vector<T>(a[2]), row, s2);
            s3 = VectorMath.MultiplyAdd(new Vector<T>(a[3]), row, s3);
            s4 = VectorMath.MultiplyAdd(new Vector<T>(a[4]), row, s4);
            s5 = VectorMath.MultiplyAdd(new Vector<T>(a[5]), row, s5);
            b += ldb;
        }

        s0.Store(c);
        s1.Store(c + ldc);
        s2.Store(c + (2 * ldc));
        s3.Store(c + (3 * ldc));
        s4.Store(c + (4 * ldc));
        s5.Store(c + (5 * ldc));
    }

    /// <summary>Six rows of c by one 128-bit vector, for the columns left when <see cref="Vector{T}"/> is wider.</summary>
    private static void Broadcast6x1Narrow<T>(T* a, T* b, nint ldb, T* c, nint ldc, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector128<T> s0 = Vector128.Load(c), s1 = Vector128.Load(c + ldc), s2 = Vector128.Load(c + (2 * ldc));
        Vector128<T> s3 = Vector128.Load(c + (3 * ldc)), s4 = Vector128.Load(c + (4 * ldc)), s5 = Vector128.Load(c + (5 * ldc));
        T* end = a + ((nint)length * BroadcastRowBlock);
        for (; a < end; a += BroadcastRowBlock)
        {
            Vector128<T> row = Vector128.Load(b);
            s0 = VectorMath.MultiplyAdd(Vector128.Create(a[0]), row, s0);
            s1 = VectorMath.MultiplyAdd(Vector128.Create(a[1]), row, s1);
            s2 = VectorMath.MultiplyAdd(Vector128.Create(a[2]), row, s2);
            s3 = VectorMath.MultiplyAdd(Vector128.Create(a[3]), row, s3);
            s4 = VectorMath.MultiplyAdd(Vector128.Create(a[4]), row, s4);
            s5 = VectorMath.MultiplyAdd(Vector128.Create(a[5]), row, s5);
            b += ldb;
        }

        s0.Store(c);
        s1.Store(c + ldc);
        s2.Store(c + (2 * ldc));
        s3.Store(c + (3 * ldc));
        s4.Store(c + (4 * ldc));
        s5.Store(c + (5 * ldc));
    }

    /// <summary>Six rows of one column of c, from a packed block of coefficients; b points at the column.</summary>
    private static void BroadcastColumn6<T>(T* a, T* b, nint ldb, T* c, nint ldc, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s0 = c[0], s1 = c[ldc], s2 = c[2 * ldc], s3 = c[3 * ldc], s4 = c[4 * ldc], s5 = c[5 * ldc];
        T* end = a + ((nint)length * BroadcastRowBlock);
        for (; a < end; a += BroadcastRowBlock)
        {
            T value = *b;
            s0 = VectorMath.MultiplyAdd(a[0], value, s0);
            s1 = VectorMath.MultiplyAdd(a[1], value, s1);
            s2 = VectorMath.MultiplyAdd(a[2], value, s2);
            s3 = VectorMath.MultiplyAdd(a[3], value, s3);
            s4 = VectorMath.MultiplyAdd(a[4], value, s4);
            s5 = VectorMath.MultiplyAdd(a[5], value, s5);
            b += ldb;
        }

        c[0] = s0;
        c[ldc] = s1;
        c[2 * ldc] = s2;
        c[3 * ldc] = s3;
        c[4 * ldc] = s4;
        c[5 * ldc] = s5;
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
        if (typeof(T) == typeof(float) && PairwiseReduction)
        {
            // The twelve lane sums in two reductions of eight vectors each (the second with four repeated), in the
            // order LaneSum uses for a single vector.
            Vector256<float> first = Reduce8(
                Wide(s00), Wide(s01), Wide(s02), Wide(s10), Wide(s11), Wide(s12), Wide(s20), Wide(s21));
            Vector256<float> second = Reduce8(
                Wide(s22), Wide(s30), Wide(s31), Wide(s32), Wide(s22), Wide(s30), Wide(s31), Wide(s32));
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
        => Tail(LaneSum(lanes), a, b, k, length);

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
    /// True where eight 256-bit float vectors reduce together with pairwise additions (AVX): nine instructions for
    /// eight sums instead of about five per sum.
    /// </summary>
    private static bool PairwiseReduction => Avx.IsSupported && Vector<float>.Count == Vector256<float>.Count;

    /// <summary>Returns the sum of the lanes, in the order <see cref="Reduce8"/> adds them when it applies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T LaneSum<T>(Vector<T> lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && PairwiseReduction)
        {
            Vector256<float> wide = Wide(lanes);
            return Lane<T>(Reduce8(wide, wide, wide, wide, wide, wide, wide, wide), 0);
        }

        return Vector.Sum(lanes);
    }

    /// <summary>
    /// Returns the lane sums of eight vectors as one vector. Each sum is ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reduce8(
        Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3,
        Vector256<float> v4, Vector256<float> v5, Vector256<float> v6, Vector256<float> v7)
    {
        // Each pairwise addition works within 128-bit halves. After two rounds the low half contains the sums of
        // lanes 0-3 of four vectors and the high half those of lanes 4-7, which the last addition joins.
        Vector256<float> upper = Avx.HorizontalAdd(Avx.HorizontalAdd(v0, v1), Avx.HorizontalAdd(v2, v3));
        Vector256<float> lower = Avx.HorizontalAdd(Avx.HorizontalAdd(v4, v5), Avx.HorizontalAdd(v6, v7));
        return Avx.Permute2x128(upper, lower, 0x20) + Avx.Permute2x128(upper, lower, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Wide<T>(Vector<T> value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => value.AsVector256().As<T, float>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Lane<T>(Vector256<float> value, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Unsafe.BitCast<float, T>(value.GetElement(index));

    /// <summary>Six rows of c by two vectors: c[r, :] += Σ_p a[6p + r] · b[p, :], from a packed block of coefficients.</summary>
    private static void Broadcast6x2<T>(T* a, T* b, nint ldb, T* c, nint ldc, int length)
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

        // Two steps per pass halve the loop's own instructions; an odd last step runs alone.
        T* end = a + ((nint)length * BroadcastRowBlock);
        T* pairsEnd = a + ((nint)(length & ~1) * BroadcastRowBlock);
        Vector<T> b0, b1, x;
        for (; a < pairsEnd; a += 2 * BroadcastRowBlock)
        {
            b0 = Vector.Load(b);
            b1 = Vector.Load(b + vector);
            x = new(a[0]);
            s00 = VectorMath.MultiplyAdd(x, b0, s00);
            s01 = VectorMath.MultiplyAdd(x, b1, s01);
            x = new(a[1]);
            s10 = VectorMath.MultiplyAdd(x, b0, s10);
            s11 = VectorMath.MultiplyAdd(x, b1, s11);
            x = new(a[2]);
            s20 = VectorMath.MultiplyAdd(x, b0, s20);
            s21 = VectorMath.MultiplyAdd(x, b1, s21);
            x = new(a[3]);
            s30 = VectorMath.MultiplyAdd(x, b0, s30);
            s31 = VectorMath.MultiplyAdd(x, b1, s31);
            x = new(a[4]);
            s40 = VectorMath.MultiplyAdd(x, b0, s40);
            s41 = VectorMath.MultiplyAdd(x, b1, s41);
            x = new(a[5]);
            s50 = VectorMath.MultiplyAdd(x, b0, s50);
            s51 = VectorMath.MultiplyAdd(x, b1, s51);

            b0 = Vector.Load(b + ldb);
            b1 = Vector.Load(b + ldb + vector);
            x = new(a[BroadcastRowBlock + 0]);
            s00 = VectorMath.MultiplyAdd(x, b0, s00);
            s01 = VectorMath.MultiplyAdd(x, b1, s01);
            x = new(a[BroadcastRowBlock + 1]);
            s10 = VectorMath.MultiplyAdd(x, b0, s10);
            s11 = VectorMath.MultiplyAdd(x, b1, s11);
            x = new(a[BroadcastRowBlock + 2]);
            s20 = VectorMath.MultiplyAdd(x, b0, s20);
            s21 = VectorMath.MultiplyAdd(x, b1, s21);
            x = new(a[BroadcastRowBlock + 3]);
            s30 = VectorMath.MultiplyAdd(x, b0, s30);
            s31 = VectorMath.MultiplyAdd(x, b1, s31);
            x = new(a[BroadcastRowBlock + 4]);
            s40 = VectorMath.MultiplyAdd(x, b0, s40);
            s41 = VectorMath.MultiplyAdd(x, b1, s41);
            x = new(a[BroadcastRowBlock + 5]);
            s50 = VectorMath.MultiplyAdd(x, b0, s50);
            s51 = VectorMath.MultiplyAdd(x, b1, s51);
            b += 2 * ldb;
        }

        if (a < end)
        {
            b0 = Vector.Load(b);
            b1 = Vector.Load(b + vector);
            x = new(a[0]);
            s00 = VectorMath.MultiplyAdd(x, b0, s00);
            s01 = VectorMath.MultiplyAdd(x, b1, s01);
            x = new(a[1]);
            s10 = VectorMath.MultiplyAdd(x, b0, s10);
            s11 = VectorMath.MultiplyAdd(x, b1, s11);
            x = new(a[2]);
            s20 = VectorMath.MultiplyAdd(x, b0, s20);
            s21 = VectorMath.MultiplyAdd(x, b1, s21);
            x = new(a[3]);
            s30 = VectorMath.MultiplyAdd(x, b0, s30);
            s31 = VectorMath.MultiplyAdd(x, b1, s31);
            x = new(a[4]);
            s40 = VectorMath.MultiplyAdd(x, b0, s40);
            s41 = VectorMath.MultiplyAdd(x, b1, s41);
            x = new(a[5]);
            s50 = VectorMath.MultiplyAdd(x, b0, s50);
            s51 = VectorMath.MultiplyAdd(x, b1, s51);
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

    /// <summary>
    /// One chunk of coefficients packed in blocks of six rows (the last block may be narrower), each block step-major.
    /// Coefficient (r, p) of a block of width w starting at row r0 is at block + p·w + (r − r0).
    /// </summary>
    private readonly struct PackedCoefficients<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T* _start;
        private readonly int _rowStart;
        private readonly int _rowEnd;
        private readonly int _length;

        private PackedCoefficients(T* start, int rowStart, int rowEnd, int length)
        {
            _start = start;
            _rowStart = rowStart;
            _rowEnd = rowEnd;
            _length = length;
        }

        /// <summary>Copies coefficient (r, p) = chunk[r·rowStride + p·stepStride] of rows [rowStart, rowEnd) into destination.</summary>
        public static PackedCoefficients<T> Pack(T* chunk, nint rowStride, nint stepStride, int rowStart, int rowEnd, int length, T* destination)
        {
            int rows = rowEnd - rowStart;
            T* first = chunk + (rowStart * rowStride);
            for (int block = 0; block < rows; block += BroadcastRowBlock)
            {
                int width = Math.Min(BroadcastRowBlock, rows - block);
                T* target = destination + ((nint)block * length);
                for (int p = 0; p < length; p++)
                {
                    T* source = first + (block * rowStride) + (p * stepStride);
                    for (int q = 0; q < width; q++)
                    {
                        target[(p * width) + q] = source[q * rowStride];
                    }
                }
            }

            return new PackedCoefficients<T>(destination, rowStart, rowEnd, length);
        }

        /// <summary>Returns the packed block of six rows that starts at <paramref name="row"/>, a whole block.</summary>
        public T* Block(int row) => _start + ((nint)(row - _rowStart) * _length);

        /// <summary>Returns the first coefficient of one row and the distance between its steps.</summary>
        public T* Row(int row, out nint stepStride)
        {
            int offset = row - _rowStart;
            int block = offset / BroadcastRowBlock * BroadcastRowBlock;
            stepStride = Math.Min(BroadcastRowBlock, _rowEnd - _rowStart - block);
            return _start + ((nint)block * _length) + (offset - block);
        }
    }
}
