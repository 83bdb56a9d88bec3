using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>The broadcast form over the steps each block of six rows keeps (<see cref="KeptSteps{T}"/>).</summary>
internal static unsafe partial class MatrixProducts
{
    /// <summary>
    /// For the blocks of six rows in [blockStart, blockEnd) and j in [columnStart, columnEnd):
    /// c[r·ldc + j] += Σ_t a[6t + r − r0] · b[steps[t]·ldb + j] over the block's kept steps t, where the block starts at
    /// row r0. With <paramref name="fromZero"/>, c is set to the sums instead. Rows past <paramref name="rows"/> are
    /// neither read nor written.
    /// </summary>
    /// <remarks>
    /// A block's steps are its own, so one pass per block covers them all. The rows of b that a block reads are
    /// scattered, and no panel of b is copied. On the first layer of an MNIST network they stayed in the L2 cache, and
    /// a kept step cost about what a step of the dense kernels costs.
    /// </remarks>
    public static void KeptStepRows<T>(
        VectorWidth width, int* blockStarts, int* steps, T* a, T* b, nint ldb, T* c, nint ldc, int rows, int blockStart, int blockEnd,
        int columnStart, int columnEnd, bool fromZero)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var blocks = new KeptStepBlocks<T>(blockStarts, steps, a, b, ldb, c, ldc, rows, blockStart, blockEnd, fromZero);
        int j = width switch
        {
            VectorWidth.Bits512 => blocks.Panels<Vector512<T>, Vector512Width<T>>(columnStart, columnEnd),
            VectorWidth.Bits256 => blocks.Panels<Vector256<T>, Vector256Width<T>>(columnStart, columnEnd),
            VectorWidth.Bits128 => blocks.Panels<Vector128<T>, Vector128Width<T>>(columnStart, columnEnd),
            _ => blocks.Panels<T, ScalarWidth<T>>(columnStart, columnEnd),
        };
        if (width >= VectorWidth.Bits512)
        {
            j = blocks.Singles<Vector512<T>, Vector512Width<T>>(j, columnEnd);
        }

        if (width >= VectorWidth.Bits256)
        {
            j = blocks.Singles<Vector256<T>, Vector256Width<T>>(j, columnEnd);
        }

        if (width >= VectorWidth.Bits128)
        {
            j = blocks.Singles<Vector128<T>, Vector128Width<T>>(j, columnEnd);
        }

        blocks.Singles<T, ScalarWidth<T>>(j, columnEnd);
    }

    /// <summary>The blocks of one <see cref="KeptStepRows{T}"/> call, one range of columns at a time.</summary>
    private readonly struct KeptStepBlocks<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly int* _blockStarts;
        private readonly int* _steps;
        private readonly T* _a;
        private readonly T* _b;
        private readonly nint _ldb;
        private readonly T* _c;
        private readonly nint _ldc;
        private readonly int _rows;
        private readonly int _blockStart;
        private readonly int _blockEnd;
        private readonly bool _fromZero;

        public KeptStepBlocks(
            int* blockStarts, int* steps, T* a, T* b, nint ldb, T* c, nint ldc, int rows, int blockStart, int blockEnd, bool fromZero)
        {
            _blockStarts = blockStarts;
            _steps = steps;
            _a = a;
            _b = b;
            _ldb = ldb;
            _c = c;
            _ldc = ldc;
            _rows = rows;
            _blockStart = blockStart;
            _blockEnd = blockEnd;
            _fromZero = fromZero;
        }

        /// <summary>Computes the columns from j in panels of two vectors while whole panels fit, and returns the first column left.</summary>
        public int Panels<TVector, TWidth>(int j, int n)
            where TVector : unmanaged
            where TWidth : struct, IVectorWidth<TVector, T>
            => Columns<TVector, TWidth>(j, n, pairs: true);

        /// <summary>Computes the columns from j one vector at a time, and returns the first column left.</summary>
        public int Singles<TVector, TWidth>(int j, int n)
            where TVector : unmanaged
            where TWidth : struct, IVectorWidth<TVector, T>
            => Columns<TVector, TWidth>(j, n, pairs: false);

        /// <summary>
        /// Computes the columns from j in steps of two vectors (<paramref name="pairs"/>) or one, block by block, and
        /// returns the first column left. The last, short block runs the whole-block kernel on a padded tile.
        /// </summary>
        private int Columns<TVector, TWidth>(int j, int n, bool pairs)
            where TVector : unmanaged
            where TWidth : struct, IVectorWidth<TVector, T>
        {
            int width = pairs ? 2 * TWidth.Count : TWidth.Count;
            T* tile = stackalloc T[BroadcastRowBlock * 2 * TWidth.Count];
            for (; j <= n - width; j += width)
            {
                for (int block = _blockStart; block < _blockEnd; block++)
                {
                    int first = _blockStarts[block];
                    int count = _blockStarts[block + 1] - first;
                    int r = block * BroadcastRowBlock;
                    int rows = _rows - r;
                    T* c = _c + ((nint)r * _ldc) + j;
                    T* target = rows >= BroadcastRowBlock ? c : tile;
                    nint ldt = rows >= BroadcastRowBlock ? _ldc : width;
                    if (rows < BroadcastRowBlock)
                    {
                        LastRowsToTile(c, _ldc, rows, width, tile);
                    }

                    if (pairs)
                    {
                        Kept6x2<T, TVector, TWidth>(_steps + first, count, _a + ((nint)first * BroadcastRowBlock), _b + j, _ldb, target, ldt, _fromZero);
                    }
                    else
                    {
                        Kept6x1<T, TVector, TWidth>(_steps + first, count, _a + ((nint)first * BroadcastRowBlock), _b + j, _ldb, target, ldt, _fromZero);
                    }

                    if (rows < BroadcastRowBlock)
                    {
                        TileToLastRows(tile, rows, width, c, _ldc);
                    }
                }
            }

            return j;
        }
    }

    /// <summary>
    /// Adds Σ_t a[6t + r] · b[steps[t]·ldb, :] over <paramref name="count"/> kept steps to six rows of c by two
    /// vectors. With <paramref name="fromZero"/> the rows are set to the sums instead.
    /// </summary>
    private static void Kept6x2<T, TVector, TWidth>(int* steps, int count, T* a, T* b, nint ldb, T* c, nint ldc, bool fromZero)
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

        // Each step is written out, as in the dense kernels: a helper would take the twelve sums by reference.
        int* end = steps + count;
        for (; steps < end; steps++, a += BroadcastRowBlock)
        {
            T* row = b + ((nint)(*steps) * ldb);
            TVector b0 = TWidth.Load(row);
            TVector b1 = TWidth.Load(row + vector);
            TVector x = TWidth.Broadcast(a[0]);
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

    /// <summary>
    /// Adds Σ_t a[6t + r] · b[steps[t]·ldb, :] over <paramref name="count"/> kept steps to six rows of c by one vector.
    /// With <paramref name="fromZero"/> the rows are set to the sums instead.
    /// </summary>
    private static void Kept6x1<T, TVector, TWidth>(int* steps, int count, T* a, T* b, nint ldb, T* c, nint ldc, bool fromZero)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : unmanaged
        where TWidth : struct, IVectorWidth<TVector, T>
    {
        TVector s0 = Start<T, TVector, TWidth>(c, fromZero);
        TVector s1 = Start<T, TVector, TWidth>(c + ldc, fromZero);
        TVector s2 = Start<T, TVector, TWidth>(c + (2 * ldc), fromZero);
        TVector s3 = Start<T, TVector, TWidth>(c + (3 * ldc), fromZero);
        TVector s4 = Start<T, TVector, TWidth>(c + (4 * ldc), fromZero);
        TVector s5 = Start<T, TVector, TWidth>(c + (5 * ldc), fromZero);
        int* end = steps + count;
        for (; steps < end; steps++, a += BroadcastRowBlock)
        {
            TVector b0 = TWidth.Load(b + ((nint)(*steps) * ldb));
            s0 = TWidth.MultiplyAdd(TWidth.Broadcast(a[0]), b0, s0);
            s1 = TWidth.MultiplyAdd(TWidth.Broadcast(a[1]), b0, s1);
            s2 = TWidth.MultiplyAdd(TWidth.Broadcast(a[2]), b0, s2);
            s3 = TWidth.MultiplyAdd(TWidth.Broadcast(a[3]), b0, s3);
            s4 = TWidth.MultiplyAdd(TWidth.Broadcast(a[4]), b0, s4);
            s5 = TWidth.MultiplyAdd(TWidth.Broadcast(a[5]), b0, s5);
        }

        TWidth.Store(s0, c);
        TWidth.Store(s1, c + ldc);
        TWidth.Store(s2, c + (2 * ldc));
        TWidth.Store(s3, c + (3 * ldc));
        TWidth.Store(s4, c + (4 * ldc));
        TWidth.Store(s5, c + (5 * ldc));
    }
}
