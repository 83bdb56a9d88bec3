using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Layerwise.Kernels;

/// <summary>
/// The two register-blocked matrix products behind <see cref="DenseBatchKernels"/>, over a range of output rows so
/// that threads can share one product.
/// </summary>
/// <remarks>
/// <para>
/// Both keep twelve accumulators in registers. A core with two multiply-add units of four cycles' latency (common on
/// current x64 cores) needs at least eight independent sums to keep both busy, and twelve leave room for the loads.
/// The code is generic over the register width (<see cref="IVectorWidth{TVector, T}"/>), so the same loops run on
/// 512-, 256- and 128-bit vectors and on scalars; <see cref="PreferredWidth{T}"/> picks the widest the runtime
/// accelerates. In the broadcast form, columns left past the last whole vector go to the next narrower width, down to
/// scalars. The dot-product form ends each sum with scalar steps. Blocks cut short by the edge of the result run the
/// whole-block kernels too, on a padded tile, because a single sum would wait on the multiply-add latency at every step.
/// </para>
/// <para>
/// Every element of a result is computed by the same sequence of operations whichever block, whole or padded, or
/// thread reaches it, so a product does not depend on its shape's tiling or on the thread count.
/// </para>
/// </remarks>
internal static unsafe partial class MatrixProducts
{
    [ThreadStatic]
    private static VectorWidth? t_forcedWidth;

    /// <summary>Returns the widest register width that the runtime accelerates for <typeparamref name="T"/> here.</summary>
    /// <remarks>
    /// Vector512 counts only where the runtime reports it accelerated, which it does when it prefers 512-bit vectors.
    /// DOTNET_PreferredVectorBitWidth sets that preference. On some processors whose 512-bit instructions lower the
    /// clock, the runtime prefers 256 bits unless that variable is set.
    /// On an AMD Zen 4, which executes each 512-bit operation as two 256-bit halves, the 512-bit and 256-bit code
    /// timed within 2% of each other on the training step of a 784-256-128-10 network.
    /// NOTE: not timed on a processor with full-width 512-bit units, where the tiles' 12 accumulators leave most of
    /// AVX-512's 32 vector registers unused.
    /// </remarks>
    public static VectorWidth PreferredWidth<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            return VectorWidth.Bits512;
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            return VectorWidth.Bits256;
        }

        return Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported ? VectorWidth.Bits128 : VectorWidth.Scalar;
    }

    /// <summary>
    /// Returns the width the products started on this thread use: <see cref="PreferredWidth{T}"/>, unless a test has
    /// forced another with <see cref="ForceWidth"/>.
    /// </summary>
    public static VectorWidth CurrentWidth<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => t_forcedWidth ?? PreferredWidth<T>();

    /// <summary>
    /// Makes the products started on this thread use <paramref name="width"/> until the returned scope is disposed,
    /// so tests can run every width's code on any processor (unaccelerated widths run in software, slowly).
    /// </summary>
    public static WidthScope ForceWidth(VectorWidth width)
    {
        VectorWidth? previous = t_forcedWidth;
        t_forcedWidth = width;
        return new WidthScope(previous);
    }

    /// <summary>Returns the number of <typeparamref name="T"/> values per register of <paramref name="width"/>.</summary>
    public static int VectorCount<T>(VectorWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
        => width switch
        {
            VectorWidth.Bits512 => Vector512<T>.Count,
            VectorWidth.Bits256 => Vector256<T>.Count,
            VectorWidth.Bits128 => Vector128<T>.Count,
            _ => 1,
        };

    /// <summary>
    /// Returns a chunk length of at most about <paramref name="limit"/> that splits <paramref name="k"/> into equal
    /// whole vectors, so no chunk is a short remainder that pays for its horizontal sums over a few steps.
    /// </summary>
    private static int ChunkLength(int k, int limit, int vector)
    {
        int chunks = (k + limit - 1) / limit;
        int length = (k + chunks - 1) / chunks;
        return Math.Max(1, (length + vector - 1) / vector * vector);
    }

    /// <summary>Restores the width a thread used before <see cref="ForceWidth"/>.</summary>
    public readonly struct WidthScope : IDisposable
    {
        private readonly VectorWidth? _previous;

        internal WidthScope(VectorWidth? previous) => _previous = previous;

        public void Dispose() => t_forcedWidth = _previous;
    }
}
