using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Layerwise.Kernels;

/// <summary>Horizontal sums of many float vectors at once, for the ends of the dot-product form.</summary>
internal static class LaneSums
{
    /// <summary>
    /// True where eight 256-bit float vectors reduce together with pairwise additions (AVX): nine instructions for
    /// eight sums instead of about five per sum.
    /// </summary>
    public static bool IsPairwise => Avx.IsSupported;

    /// <summary>
    /// Returns the lane sums of eight vectors as one vector. Each sum is ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7)),
    /// whichever position its vector takes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Reduce8(
        Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3,
        Vector256<float> v4, Vector256<float> v5, Vector256<float> v6, Vector256<float> v7)
    {
        // Each pairwise addition works within 128-bit halves. After two rounds the low half contains the sums of
        // lanes 0-3 of four vectors and the high half those of lanes 4-7, which the last addition joins.
        Vector256<float> upper = Avx.HorizontalAdd(Avx.HorizontalAdd(v0, v1), Avx.HorizontalAdd(v2, v3));
        Vector256<float> lower = Avx.HorizontalAdd(Avx.HorizontalAdd(v4, v5), Avx.HorizontalAdd(v6, v7));
        return Avx.Permute2x128(upper, lower, 0x20) + Avx.Permute2x128(upper, lower, 0x31);
    }
}
