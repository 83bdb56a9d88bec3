using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Layerwise.Kernels;

/// <summary>The broadcast form: each coefficient of a is broadcast against a contiguous run of a row of b.</summary>
internal static unsafe partial class MatrixProducts
{
    /// <summary>Values of the inner dimension per chunk of <see cref="BroadcastRows{T}"/>: a panel of 256 by two vectors.</summary>
    public const int BroadcastChunk = 256;

    /// <summary>Rows per block of <see cref="BroadcastRows{T}"/>.</summary>
    public const int BroadcastRowBlock = ProductThresholds.BroadcastRowBlock;

    /// <summary>
    /// For r in [rowStart, rowEnd) and j in [0, n): c[r·ldc + j] += Σ_p a[r·aRowStride + p·aStepStride] · b[p·ldb + j],
    /// on registers of <paramref name="width"/>, over k ≥ 1 steps. With <paramref name="overwrite"/>, c is set to the
    /// sum instead and its old values are not read.
    /// </summary>
    public static void BroadcastRows<T>(
        VectorWidth width, T* a, nint aRowStride, nint aStepStride, T* b, int ldb, T* c, int ldc, int rowStart, int rowEnd, int n, int k,
        bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {

        // Each chunk of coefficients is copied into blocks of six rows, step by step, so the kernel reads them in
        // order with fixed offsets. In place they can be a whole row of dY apart (dYᵀ in the weight gradient), and a
        // power-of-two row length maps such steps onto a few sets of the L1 cache.
        int rows = rowEnd - rowStart;
        T[] buffer = ThreadScratch<T>.Coefficients(PackedCoefficients<T>.Size(rows, Math.Min(k, BroadcastChunk)));
        fixed (T* packed = buffer)
        {
            for (int p0 = 0; p0 < k; p0 += BroadcastChunk)
            {
                int length = Math.Min(BroadcastChunk, k - p0);
                var chunk = new BroadcastChunkRows<T>(
                    PackedCoefficients<T>.Pack(a + (p0 * aStepStride), aRowStride, aStepStride, rowStart, rowEnd, length, packed),
                    b + ((nint)p0 * ldb),
                    ldb,
                    c,
                    ldc,
                    rowStart,
                    rowEnd,
                    length,
                    fromZero: overwrite && p0 == 0);

                // Panels of two vectors of the widest width, then single vectors of each width down to scalars, so
                // every column of any width is covered by blocks of six rows.
                int j = width switch
                {
                    VectorWidth.Bits512 => chunk.Panels<Vector512<T>, Vector512Width<T>>(0, n),
                    VectorWidth.Bits256 => chunk.Panels<Vector256<T>, Vector256Width<T>>(0, n),
                    VectorWidth.Bits128 => chunk.Panels<Vector128<T>, Vector128Width<T>>(0, n),
                    _ => chunk.Panels<T, ScalarWidth<T>>(0, n),
                };
                if (width >= VectorWidth.Bits512)
                {
                    j = chunk.Singles<Vector512<T>, Vector512Width<T>>(j, n);
                }

                if (width >= VectorWidth.Bits256)
                {
                    j = chunk.Singles<Vector256<T>, Vector256Width<T>>(j, n);
                }

                if (width >= VectorWidth.Bits128)
                {
                    j = chunk.Singles<Vector128<T>, Vector128Width<T>>(j, n);
                }

                chunk.Singles<T, ScalarWidth<T>>(j, n);
            }
        }
    }

    /// <summary>One chunk of <see cref="BroadcastRows{T}"/>: every row over the chunk's steps, one range of columns at a time.</summary>
    private readonly struct BroadcastChunkRows<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly PackedCoefficients<T> _coefficients;
        private readonly T* _b;
        private readonly int _ldb;
        private readonly T* _c;
        private readonly int _ldc;
        private readonly int _rowStart;
        private readonly int _rowEnd;
        private readonly int _length;
        private readonly bool _fromZero;

        /// <summary>Describes one chunk; with <paramref name="fromZero"/> the sums start from zero, not from c's values.</summary>
        public BroadcastChunkRows(PackedCoefficients<T> coefficients, T* b, int ldb, T* c, int ldc, int rowStart, int rowEnd, int length, bool fromZero)
        {
            _coefficients = coefficients;
            _b = b;
            _ldb = ldb;
            _c = c;
            _ldc = ldc;
            _rowStart = rowStart;
            _rowEnd = rowEnd;
            _length = length;
            _fromZero = fromZero;
        }

        /// <summary>Computes the columns from j in panels of two vectors while whole panels fit, and returns the first column left.</summary>
        public int Panels<TVector, TWidth>(int j, int n)
            where TVector : unmanaged
            where TWidth : struct, IVectorWidth<TVector, T>
        {
            int vector = TWidth.Count;
            int panelWidth = 2 * vector;
            if (j > n - panelWidth)
            {
                return j;
            }

            // Columns outer, rows inner: the panel of b (length rows by two vectors) is copied into a contiguous, 64-byte
            // aligned buffer, which stays in the L1 cache while every block of rows reads it in order. In place its rows
            // are a whole row of b apart and may straddle cache lines.
            T[] buffer = ThreadScratch<T>.Panel((_length * panelWidth) + (64 / sizeof(T)));
            T* tile = stackalloc T[BroadcastRowBlock * panelWidth];
            fixed (T* unaligned = buffer)
            {
                T* panel = (T*)(((nint)unaligned + 63) & ~(nint)63);
                for (; j <= n - panelWidth; j += panelWidth)
                {
                    for (int p = 0; p < _length; p++)
                    {
                        T* source = _b + ((nint)p * _ldb) + j;
                        T* target = panel + ((nint)p * panelWidth);
                        TWidth.Store(TWidth.Load(source), target);
                        TWidth.Store(TWidth.Load(source + vector), target + vector);
                    }

                    int r = _rowStart;
                    for (; r <= _rowEnd - BroadcastRowBlock; r += BroadcastRowBlock)
                    {
                        Broadcast6x2<T, TVector, TWidth>(_coefficients.Block(r), panel, panelWidth, _c + ((nint)r * _ldc) + j, _ldc, _length, _fromZero);
                    }

                    if (r < _rowEnd)
                    {
                        T* c = _c + ((nint)r * _ldc) + j;
                        int rows = _rowEnd - r;
                        LastRowsToTile(c, _ldc, rows, panelWidth, tile);
                        Broadcast6x2<T, TVector, TWidth>(_coefficients.Block(r), panel, panelWidth, tile, panelWidth, _length, _fromZero);
                        TileToLastRows(tile, rows, panelWidth, c, _ldc);
                    }
                }
            }

            return j;
        }

        /// <summary>Computes the columns from j one vector at a time, six rows per block, and returns the first column left.</summary>
        public int Singles<TVector, TWidth>(int j, int n)
            where TVector : unmanaged
            where TWidth : struct, IVectorWidth<TVector, T>
        {
            if (j > n - TWidth.Count)
            {
                return j;
            }

            T* tile = stackalloc T[BroadcastRowBlock * TWidth.Count];
            for (; j <= n - TWidth.Count; j += TWidth.Count)
            {
                int r = _rowStart;
                for (; r <= _rowEnd - BroadcastRowBlock; r += BroadcastRowBlock)
                {
                    Broadcast6x1<T, TVector, TWidth>(_coefficients.Block(r), _b + j, _ldb, _c + ((nint)r * _ldc) + j, _ldc, _length, _fromZero);
                }

                if (r < _rowEnd)
                {
                    T* c = _c + ((nint)r * _ldc) + j;
                    int rows = _rowEnd - r;
                    LastRowsToTile(c, _ldc, rows, TWidth.Count, tile);
                    Broadcast6x1<T, TVector, TWidth>(_coefficients.Block(r), _b + j, _ldb, tile, TWidth.Count, _length, _fromZero);
                    TileToLastRows(tile, rows, TWidth.Count, c, _ldc);
                }
            }

            return j;
        }
    }

    /// <summary>
    /// Adds Σ_p a[6p + r] · b[p, :] to six rows of c by two vectors, from a packed block of coefficients. With
    /// <paramref name="fromZero"/> the rows are set to the sums instead.
    /// </summary>
    private static void Broadcast6x2<T, TVector, TWidth>(T* a, T* b, nint ldb, T* c, nint ldc, int length, bool fromZero)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : unmanaged
        where TWidth : struct, IVectorWidth<TVector, T>
    {
        int vector = TWidth.Count;
        T* c1 = c + ldc;
        T* c2 = c1 + ldc;
        T* c3 = c2 + ldc;
        T* c4 = c3 + ldc;
        T* c5 = c4 + ldc;
        TVector s00 = Start<T, TVector, TWidth>(c, fromZero), s01 = Start<T, TVector, TWidth>(c + vector, fromZero);
        TVector s10 = Start<T, TVector, TWidth>(c1, fromZero), s11 = Start<T, TVector, TWidth>(c1 + vector, fromZero);
        TVector s20 = Start<T, TVector, TWidth>(c2, fromZero), s21 = Start<T, TVector, TWidth>(c2 + vector, fromZero);
        TVector s30 = Start<T, TVector, TWidth>(c3, fromZero), s31 = Start<T, TVector, TWidth>(c3 + vector, fromZero);
        TVector s40 = Start<T, TVector, TWidth>(c4, fromZero), s41 = Start<T, TVector, TWidth>(c4 + vector, fromZero);
        TVector s50 = Start<T, TVector, TWidth>(c5, fromZero), s51 = Start<T, TVector, TWidth>(c5 + vector, fromZero);

        // Two steps per pass halve the loop's own instructions, and an odd last step runs alone. Each step is written
        // out because a helper would take the twelve sums by reference, and the JIT keeps such locals in memory.
        T* end = a + ((nint)length * BroadcastRowBlock);
        T* pairsEnd = a + ((nint)(length & ~1) * BroadcastRowBlock);
        TVector b0, b1, x;
        for (; a < pairsEnd; a += 2 * BroadcastRowBlock)
        {
            b0 = TWidth.Load(b);
            b1 = TWidth.Load(b + vector);
            x = TWidth.Broadcast(a[0]);
            s00 = TWidth.MultiplyAdd(x, b0, s00);
            s01 = TWidth.MultiplyAdd(x, b1, s01);
            x = TWidth.Broadcast(a[1]);
            s10 = TWidth.MultiplyAdd(x, b0, s10);
            s11 = TWidth.MultiplyAdd(x, b1, s11);
            x = TWidth.Broadcast(a[2]);
            s20 = TWidth.MultiplyAdd(x, b0, s20);
            s21 = TWidth.MultiplyAdd(x, b1, s21);
            x = TWidth.Broadcast(a[3]);
            s30 = TWidth.MultiplyAdd(x, b0, s30);
            s31 = TWidth.MultiplyAdd(x, b1, s31);
            x = TWidth.Broadcast(a[4]);
            s40 = TWidth.MultiplyAdd(x, b0, s40);
            s41 = TWidth.MultiplyAdd(x, b1, s41);
            x = TWidth.Broadcast(a[5]);
            s50 = TWidth.MultiplyAdd(x, b0, s50);
            s51 = TWidth.MultiplyAdd(x, b1, s51);

            b0 = TWidth.Load(b + ldb);
            b1 = TWidth.Load(b + ldb + vector);
            x = TWidth.Broadcast(a[BroadcastRowBlock + 0]);
            s00 = TWidth.MultiplyAdd(x, b0, s00);
            s01 = TWidth.MultiplyAdd(x, b1, s01);
            x = TWidth.Broadcast(a[BroadcastRowBlock + 1]);
            s10 = TWidth.MultiplyAdd(x, b0, s10);
            s11 = TWidth.MultiplyAdd(x, b1, s11);
            x = TWidth.Broadcast(a[BroadcastRowBlock + 2]);
            s20 = TWidth.MultiplyAdd(x, b0, s20);
            s21 = TWidth.MultiplyAdd(x, b1, s21);
            x = TWidth.Broadcast(a[BroadcastRowBlock + 3]);
            s30 = TWidth.MultiplyAdd(x, b0, s30);
            s31 = TWidth.MultiplyAdd(x, b1, s31);
            x = TWidth.Broadcast(a[BroadcastRowBlock + 4]);
            s40 = TWidth.MultiplyAdd(x, b0, s40);
            s41 = TWidth.MultiplyAdd(x, b1, s41);
            x = TWidth.Broadcast(a[BroadcastRowBlock + 5]);
            s50 = TWidth.MultiplyAdd(x, b0, s50);
            s51 = TWidth.MultiplyAdd(x, b1, s51);
            b += 2 * ldb;
        }

        if (a < end)
        {
            b0 = TWidth.Load(b);
            b1 = TWidth.Load(b + vector);
            x = TWidth.Broadcast(a[0]);
            s00 = TWidth.MultiplyAdd(x, b0, s00);
            s01 = TWidth.MultiplyAdd(x, b1, s01);
            x = TWidth.Broadcast(a[1]);
            s10 = TWidth.MultiplyAdd(x, b0, s10);
            s11 = TWidth.MultiplyAdd(x, b1, s11);
            x = TWidth.Broadcast(a[2]);
            s20 = TWidth.MultiplyAdd(x, b0, s20);
            s21 = TWidth.MultiplyAdd(x, b1, s21);
            x = TWidth.Broadcast(a[3]);
            s30 = TWidth.MultiplyAdd(x, b0, s30);
            s31 = TWidth.MultiplyAdd(x, b1, s31);
            x = TWidth.Broadcast(a[4]);
            s40 = TWidth.MultiplyAdd(x, b0, s40);
            s41 = TWidth.MultiplyAdd(x, b1, s41);
            x = TWidth.Broadcast(a[5]);
            s50 = TWidth.MultiplyAdd(x, b0, s50);
            s51 = TWidth.MultiplyAdd(x, b1, s51);
        }

        TWidth.Store(s00, c);
        TWidth.Store(s01, c + vector);
        TWidth.Store(s10, c1);
        TWidth.Store(s11, c1 + vector);
        TWidth.Store(s20, c2);
        TWidth.Store(s21, c2 + vector);
        TWidth.Store(s30, c3);
        TWidth.Store(s31, c3 + vector);
        TWidth.Store(s40, c4);
        TWidth.Store(s41, c4 + vector);
        TWidth.Store(s50, c5);
        TWidth.Store(s51, c5 + vector);
    }

    /// <summary>Computes six rows of c by one vector, from a packed block of coefficients, as <see cref="Broadcast6x2"/> does.</summary>
    private static void Broadcast6x1<T, TVector, TWidth>(T* a, T* b, nint ldb, T* c, nint ldc, int length, bool fromZero)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : unmanaged
        where TWidth : struct, IVectorWidth<TVector, T>
    {
        TVector s0 = Start<T, TVector, TWidth>(c, fromZero), s1 = Start<T, TVector, TWidth>(c + ldc, fromZero);
        TVector s2 = Start<T, TVector, TWidth>(c + (2 * ldc), fromZero), s3 = Start<T, TVector, TWidth>(c + (3 * ldc), fromZero);
        TVector s4 = Start<T, TVector, TWidth>(c + (4 * ldc), fromZero), s5 = Start<T, TVector, TWidth>(c + (5 * ldc), fromZero);
        T* end = a + ((nint)length * BroadcastRowBlock);
        for (; a < end; a += BroadcastRowBlock)
        {
            TVector row = TWidth.Load(b);
            s0 = TWidth.MultiplyAdd(TWidth.Broadcast(a[0]), row, s0);
            s1 = TWidth.MultiplyAdd(TWidth.Broadcast(a[1]), row, s1);
            s2 = TWidth.MultiplyAdd(TWidth.Broadcast(a[2]), row, s2);
            s3 = TWidth.MultiplyAdd(TWidth.Broadcast(a[3]), row, s3);
            s4 = TWidth.MultiplyAdd(TWidth.Broadcast(a[4]), row, s4);
            s5 = TWidth.MultiplyAdd(TWidth.Broadcast(a[5]), row, s5);
            b += ldb;
        }

        TWidth.Store(s0, c);
        TWidth.Store(s1, c + ldc);
        TWidth.Store(s2, c + (2 * ldc));
        TWidth.Store(s3, c + (3 * ldc));
        TWidth.Store(s4, c + (4 * ldc));
        TWidth.Store(s5, c + (5 * ldc));
    }

    /// <summary>Returns the starting value of one sum: zero, or the vector of c it adds to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Start<T, TVector, TWidth>(T* c, bool fromZero)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : unmanaged
        where TWidth : struct, IVectorWidth<TVector, T>
        => fromZero ? default : TWidth.Load(c);

    /// <summary>
    /// Copies the first <paramref name="rows"/> rows of c (fewer than six, each <paramref name="width"/> long) into a
    /// tile of six rows and zeroes the rest, so a six-row kernel can compute the last rows of a range. One row alone
    /// would chain each sum through the multiply-add latency, several times slower per row than a block.
    /// </summary>
    private static void LastRowsToTile<T>(T* c, nint ldc, int rows, int width, T* tile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        new Span<T>(tile, BroadcastRowBlock * width).Clear();
        for (int r = 0; r < rows; r++)
        {
            new ReadOnlySpan<T>(c + (r * ldc), width).CopyTo(new Span<T>(tile + (r * width), width));
        }
    }

    /// <summary>Copies the first <paramref name="rows"/> rows of a tile back to c; the zero-padded rows are dropped.</summary>
    private static void TileToLastRows<T>(T* tile, int rows, int width, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            new ReadOnlySpan<T>(tile + (r * width), width).CopyTo(new Span<T>(c + (r * ldc), width));
        }
    }

    /// <summary>
    /// One chunk of coefficients packed in blocks of six rows, each block step-major: coefficient (r, p) of the block
    /// starting at row r0 is at block + 6p + (r − r0). A last block with fewer than six rows is padded with zeros.
    /// </summary>
    private readonly struct PackedCoefficients<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T* _start;
        private readonly int _rowStart;
        private readonly int _length;

        private PackedCoefficients(T* start, int rowStart, int length)
        {
            _start = start;
            _rowStart = rowStart;
            _length = length;
        }

        /// <summary>
        /// Returns how many values packing <paramref name="rows"/> rows of <paramref name="length"/> steps takes, with
        /// room for the two values past the last step that <see cref="Pack"/> may write.
        /// </summary>
        public static int Size(int rows, int length) => ((rows + BroadcastRowBlock - 1) / BroadcastRowBlock * BroadcastRowBlock * length) + 2;

        /// <summary>Copies coefficient (r, p) = chunk[r·rowStride + p·stepStride] of rows [rowStart, rowEnd) into destination.</summary>
        public static PackedCoefficients<T> Pack(T* chunk, nint rowStride, nint stepStride, int rowStart, int rowEnd, int length, T* destination)
        {
            int rows = rowEnd - rowStart;
            T* first = chunk + (rowStart * rowStride);
            for (int block = 0; block < rows; block += BroadcastRowBlock)
            {
                int width = Math.Min(BroadcastRowBlock, rows - block);
                T* source = first + (block * rowStride);
                T* target = destination + ((nint)block * length);

                // Whole blocks in the two layouts the products use take vector copies: six adjacent values per step
                // (dYᵀ in the weight gradient), or rows that run along the steps (X, or dY in the input gradient).
                int p = 0;
                if (width == BroadcastRowBlock && rowStride == 1)
                {
                    p = CopySteps(source, stepStride, length, target);
                }
                else if (width == BroadcastRowBlock && stepStride == 1)
                {
                    p = TransposeSteps(source, rowStride, length, target);
                }

                for (; p < length; p++)
                {
                    T* step = target + (p * BroadcastRowBlock);
                    T* column = source + (p * stepStride);
                    int q = 0;
                    for (; q < width; q++)
                    {
                        step[q] = column[q * rowStride];
                    }

                    for (; q < BroadcastRowBlock; q++)
                    {
                        step[q] = T.Zero;
                    }
                }
            }

            return new PackedCoefficients<T>(destination, rowStart, length);
        }

        /// <summary>Packs a whole block whose six values of a step are adjacent, and returns the number of steps packed: all, or none without 128-bit vectors.</summary>
        private static int CopySteps(T* source, nint stepStride, int length, T* target)
        {
            if (!Vector128.IsHardwareAccelerated || !Vector128<T>.IsSupported)
            {
                return 0;
            }

            // Whole vectors, the last one overlapping the one before when six is not a multiple of the vector length.
            int vector = Vector128<T>.Count;
            for (int p = 0; p < length; p++)
            {
                T* column = source + (p * stepStride);
                T* step = target + (p * BroadcastRowBlock);
                for (int q = 0; q < BroadcastRowBlock - vector; q += vector)
                {
                    Vector128.Store(Vector128.Load(column + q), step + q);
                }

                Vector128.Store(Vector128.Load(column + BroadcastRowBlock - vector), step + BroadcastRowBlock - vector);
            }

            return length;
        }

        /// <summary>
        /// Packs a whole block of float rows that run along the steps, eight steps at a time, and returns the number of
        /// steps packed. Each group of eight goes through an 8 by 8 transpose with two rows of zeros. Without AVX, and
        /// for doubles, it packs none.
        /// </summary>
        /// <remarks>
        /// Each step's store is eight values wide, so its last two land on the next step, which the next store or the
        /// scalar steps after it overwrite. Past the last step of the last block they land in the two values of room
        /// that <see cref="Size"/> adds.
        /// </remarks>
        private static int TransposeSteps(T* source, nint rowStride, int length, T* target)
        {
            if (!Avx.IsSupported || typeof(T) != typeof(float))
            {
                return 0;
            }

            float* s = (float*)source;
            float* d = (float*)target;
            Vector256<float> zero = Vector256<float>.Zero;
            int p = 0;
            for (; p <= length - 8; p += 8)
            {
                Transpose.Tile8x8(
                    Avx.LoadVector256(s + p),
                    Avx.LoadVector256(s + rowStride + p),
                    Avx.LoadVector256(s + (2 * rowStride) + p),
                    Avx.LoadVector256(s + (3 * rowStride) + p),
                    Avx.LoadVector256(s + (4 * rowStride) + p),
                    Avx.LoadVector256(s + (5 * rowStride) + p),
                    zero,
                    zero,
                    d + (p * BroadcastRowBlock),
                    BroadcastRowBlock);
            }

            return p;
        }

        /// <summary>Returns the packed block of six rows that starts at <paramref name="row"/>.</summary>
        public T* Block(int row) => _start + ((nint)(row - _rowStart) * _length);
    }
}
