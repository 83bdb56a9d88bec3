using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Layerwise.Kernels;

/// <summary>
/// Matrix transposition for the kernels: the transposed weights of the narrow-layer forward product, and the 8 by 8
/// tiles that pack coefficients for the broadcast products.
/// </summary>
/// <remarks>
/// A plain element loop writes each value a whole row apart from the last one. It ran at about two cycles per value,
/// two fifths of the narrow-layer forward product's time on the first layer of the digits network. Here square tiles
/// (8 by 8 floats, 4 by 4 doubles) are loaded as whole rows, transposed in registers with AVX shuffles and stored as
/// whole rows. Without AVX, and for the edges that do not fill a tile, values are copied one by one tile by tile, so reads
/// and writes stay within a few cache lines.
/// </remarks>
internal static unsafe class Transpose
{
    /// <summary>The side of the tiles the portable path copies.</summary>
    private const int ScalarTile = 8;

    /// <summary>
    /// Rows of the source per band of the register tiles. A band is transposed column tile by column tile, so each
    /// destination row gets whole cache lines and the band's source lines stay in the L1 cache between the two tiles
    /// that read them. On W of a 784-input, 256-output layer this took 27 µs against 70 for tile rows in order.
    /// </summary>
    private const int TileBand = 32;

    /// <summary>
    /// Writes the transpose of <paramref name="source"/>, row-major [rows, columns], into
    /// <paramref name="destination"/>, row-major [columns, rows].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="columns"/> is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than rows · columns, or the two overlap.</exception>
    public static void Matrix<T>(ReadOnlySpan<T> source, int rows, int columns, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long count = (long)rows * columns;
        if (source.Length < count || destination.Length < count)
        {
            throw new ArgumentException($"Invalid span length: transposing {rows}x{columns} needs {count} values in each span, but the source has {source.Length} and the destination {destination.Length}.");
        }

        if (source.Overlaps(destination))
        {
            throw new ArgumentException("The source and destination of a transpose must not overlap.", nameof(destination));
        }

        fixed (T* a = source)
        fixed (T* b = destination)
        {
            Block(a, columns, rows, columns, b, rows);
        }
    }

    /// <summary>
    /// Writes the transpose of the <paramref name="rows"/> by <paramref name="columns"/> block at a, whose rows are
    /// <paramref name="sourceStride"/> values apart, into b, whose rows are <paramref name="destinationStride"/> apart.
    /// A band of rows of W can so go into its columns of Wᵀ. The caller checks the sizes.
    /// </summary>
    internal static void Block<T>(T* a, nint sourceStride, int rows, int columns, T* b, nint destinationStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tiledRows = 0;
        int tiledColumns = 0;
        if (Avx.IsSupported && typeof(T) == typeof(float))
        {
            tiledRows = rows / 8 * 8;
            tiledColumns = columns / 8 * 8;
            Tiles8x8((float*)a, sourceStride, tiledRows, tiledColumns, (float*)b, destinationStride);
        }
        else if (Avx.IsSupported && typeof(T) == typeof(double))
        {
            tiledRows = rows / 4 * 4;
            tiledColumns = columns / 4 * 4;
            Tiles4x4((double*)a, sourceStride, tiledRows, tiledColumns, (double*)b, destinationStride);
        }

        // What the register tiles left: the columns right of them over their rows, then every column of the rows below.
        Scalar(a, sourceStride, b, destinationStride, 0, tiledRows, tiledColumns, columns);
        Scalar(a, sourceStride, b, destinationStride, tiledRows, rows, 0, columns);
    }

    /// <summary>Transposes the rows [rowStart, rowEnd) and columns [columnStart, columnEnd) value by value, in square tiles.</summary>
    private static void Scalar<T>(T* a, nint sourceStride, T* b, nint destinationStride, int rowStart, int rowEnd, int columnStart, int columnEnd)
        where T : unmanaged
    {
        for (int i0 = rowStart; i0 < rowEnd; i0 += ScalarTile)
        {
            int i1 = Math.Min(i0 + ScalarTile, rowEnd);
            for (int j0 = columnStart; j0 < columnEnd; j0 += ScalarTile)
            {
                int j1 = Math.Min(j0 + ScalarTile, columnEnd);
                for (int i = i0; i < i1; i++)
                {
                    T* row = a + (i * sourceStride);
                    for (int j = j0; j < j1; j++)
                    {
                        b[(j * destinationStride) + i] = row[j];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Transposes the floats of the first <paramref name="tiledRows"/> rows and <paramref name="tiledColumns"/> columns,
    /// both multiples of 8.
    /// </summary>
    private static void Tiles8x8(float* a, nint lda, int tiledRows, int tiledColumns, float* b, nint ldb)
    {
        for (int band = 0; band < tiledRows; band += TileBand)
        {
            int bandEnd = Math.Min(band + TileBand, tiledRows);
            for (int j = 0; j < tiledColumns; j += 8)
            {
                for (int i = band; i < bandEnd; i += 8)
                {
                    float* s = a + (i * lda) + j;
                    Vector256<float> r0 = Avx.LoadVector256(s);
                    Vector256<float> r1 = Avx.LoadVector256(s + lda);
                    Vector256<float> r2 = Avx.LoadVector256(s + (2 * lda));
                    Vector256<float> r3 = Avx.LoadVector256(s + (3 * lda));
                    Vector256<float> r4 = Avx.LoadVector256(s + (4 * lda));
                    Vector256<float> r5 = Avx.LoadVector256(s + (5 * lda));
                    Vector256<float> r6 = Avx.LoadVector256(s + (6 * lda));
                    Vector256<float> r7 = Avx.LoadVector256(s + (7 * lda));

                    Tile8x8(r0, r1, r2, r3, r4, r5, r6, r7, b + (j * ldb) + i, ldb);
                }
            }
        }
    }

    /// <summary>
    /// Stores the transpose of the 8 by 8 tile whose rows are <paramref name="r0"/> to <paramref name="r7"/>: column t
    /// goes to d + t · <paramref name="stride"/>, in order of t, so with a stride under 8 each store overwrites the end
    /// of the one before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Tile8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* d, nint stride)
    {
        // Interleave pairs of rows, then pairs of pairs: each 128-bit half then contains four values of one column, from
        // rows 0-3 or 4-7. Joining halves gives whole columns.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5);
        Vector256<float> t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7);
        Vector256<float> t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> q0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> q1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> q2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> q3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> q4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> q5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> q6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> q7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(q0, q4, 0x20));
        Avx.Store(d + stride, Avx.Permute2x128(q1, q5, 0x20));
        Avx.Store(d + (2 * stride), Avx.Permute2x128(q2, q6, 0x20));
        Avx.Store(d + (3 * stride), Avx.Permute2x128(q3, q7, 0x20));
        Avx.Store(d + (4 * stride), Avx.Permute2x128(q0, q4, 0x31));
        Avx.Store(d + (5 * stride), Avx.Permute2x128(q1, q5, 0x31));
        Avx.Store(d + (6 * stride), Avx.Permute2x128(q2, q6, 0x31));
        Avx.Store(d + (7 * stride), Avx.Permute2x128(q3, q7, 0x31));
    }

    /// <summary>
    /// Transposes the doubles of the first <paramref name="tiledRows"/> rows and <paramref name="tiledColumns"/> columns,
    /// both multiples of 4.
    /// </summary>
    private static void Tiles4x4(double* a, nint lda, int tiledRows, int tiledColumns, double* b, nint ldb)
    {
        for (int band = 0; band < tiledRows; band += TileBand)
        {
            int bandEnd = Math.Min(band + TileBand, tiledRows);
            for (int j = 0; j < tiledColumns; j += 4)
            {
                for (int i = band; i < bandEnd; i += 4)
                {
                    double* s = a + (i * lda) + j;
                    Vector256<double> r0 = Avx.LoadVector256(s);
                    Vector256<double> r1 = Avx.LoadVector256(s + lda);
                    Vector256<double> r2 = Avx.LoadVector256(s + (2 * lda));
                    Vector256<double> r3 = Avx.LoadVector256(s + (3 * lda));

                    // Each 128-bit half of t0-t3 contains two values of one column, from rows 0-1 or 2-3.
                    Vector256<double> t0 = Avx.UnpackLow(r0, r1);
                    Vector256<double> t1 = Avx.UnpackHigh(r0, r1);
                    Vector256<double> t2 = Avx.UnpackLow(r2, r3);
                    Vector256<double> t3 = Avx.UnpackHigh(r2, r3);

                    double* d = b + (j * ldb) + i;
                    Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
                    Avx.Store(d + ldb, Avx.Permute2x128(t1, t3, 0x20));
                    Avx.Store(d + (2 * ldb), Avx.Permute2x128(t0, t2, 0x31));
                    Avx.Store(d + (3 * ldb), Avx.Permute2x128(t1, t3, 0x31));
                }
            }
        }
    }
}
