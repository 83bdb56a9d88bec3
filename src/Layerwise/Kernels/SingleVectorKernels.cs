using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Layerwise.Kernels;

/// <summary>
/// Float paths for the small spans of batch-1 inference, where a general library call costs more in setup than in
/// arithmetic: tanh over a layer, softmax over a few classes, and four dot products reduced together.
/// </summary>
internal static class SingleVectorKernels
{
    /// <summary>Below this magnitude tanh comes from its odd series; above it, from e^(2|x|).</summary>
    private const float SeriesLimit = 0.5f;

    /// <summary>Writes tanh(x) to destination (same length, may be the same span), 256 bits at a time.</summary>
    /// <remarks>
    /// For |x| &lt; 0.5 it sums the Maclaurin series through x¹⁵, whose first omitted term is below 5e-9 there; for
    /// larger |x| it uses 1 − 2 / (e^(2|x|) + 1) with the sign of x, the exponent clamped at 20, which rounds to
    /// exactly ±1 from about |x| = 9 on. NaN gives NaN. Against float64 the relative error stays within a few units in
    /// the last place, as the kernel tests check.
    /// </remarks>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination)
    {
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(destination);
        int length = x.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Tanh(Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
            }

            if (i < length)
            {
                // The rest goes through one more vector, copied in and out lane by lane, so the call may work in place.
                Vector256<float> rest = Vector256<float>.Zero;
                ref float lanes = ref Unsafe.As<Vector256<float>, float>(ref rest);
                for (int lane = 0; i + lane < length; lane++)
                {
                    Unsafe.Add(ref lanes, lane) = Unsafe.Add(ref source, i + lane);
                }

                rest = Tanh(rest);
                for (int lane = 0; i + lane < length; lane++)
                {
                    Unsafe.Add(ref target, i + lane) = Unsafe.Add(ref lanes, lane);
                }

                return;
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref target, i) = MathF.Tanh(Unsafe.Add(ref source, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> magnitude = Vector256.Abs(x);

        // Series: x + x³·P(x²), with P the Maclaurin coefficients c3 … c15 evaluated in Estrin's order, whose
        // dependency chain is three multiply-adds deep instead of seven.
        Vector256<float> z = x * x;
        Vector256<float> z2 = z * z;
        Vector256<float> low = VectorMath.MultiplyAdd(
            VectorMath.MultiplyAdd(z, Vector256.Create(62f / 2835f), Vector256.Create(-17f / 315f)),
            z2,
            VectorMath.MultiplyAdd(z, Vector256.Create(2f / 15f), Vector256.Create(-1f / 3f)));
        Vector256<float> high = VectorMath.MultiplyAdd(
            VectorMath.MultiplyAdd(z, Vector256.Create(-929569f / 638512875f), Vector256.Create(21844f / 6081075f)),
            z,
            Vector256.Create(-1382f / 155925f));
        Vector256<float> series = VectorMath.MultiplyAdd(high, z2 * z2, low);
        series = VectorMath.MultiplyAdd(series * z, x, x);

        // Past |x| = 10, tanh rounds to ±1 in float; the clamp keeps the exponential finite.
        Vector256<float> exponential = ExpInRange(Vector256.Min(magnitude + magnitude, Vector256.Create(20f)));
        Vector256<float> large = Vector256<float>.One - (Vector256.Create(2f) / (exponential + Vector256<float>.One));
        large = Vector256.CopySign(large, x);
        return Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(SeriesLimit)), series, large);
    }

    /// <summary>Returns e^x for x ≤ 20, and 0 below −87 (where e^x would be subnormal) and for −∞; NaN gives NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> result = ExpInRange(Vector256.Max(x, Vector256.Create(-87f)));
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-87f)), Vector256<float>.Zero, result);
    }

    /// <summary>Returns e^x for x in [−87, 20]; outside that range the result is meaningless.</summary>
    /// <remarks>
    /// e^x = 2^n · e^r with n = round(x / ln 2) and |r| ≤ ln 2 / 2; ln 2 is split in two parts so r keeps its low bits,
    /// and e^r is its Taylor polynomial through r⁷, whose first omitted term is below 1e-8 there. Tanh calls this
    /// directly, since its argument is already in range, and saves the clamp and the select on its critical path.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpInRange(Vector256<float> x)
    {
        Vector256<float> n = Vector256.Round(x * Vector256.Create(1.44269504f));
        Vector256<float> r = VectorMath.MultiplyAdd(n, Vector256.Create(-0.693145752f), x);
        r = VectorMath.MultiplyAdd(n, Vector256.Create(-1.42860677e-6f), r);

        // Taylor polynomial of e^r through r⁷ in Estrin's order: four pairs, then two, then one.
        Vector256<float> r2 = r * r;
        Vector256<float> p01 = VectorMath.MultiplyAdd(r, Vector256<float>.One, Vector256<float>.One);
        Vector256<float> p23 = VectorMath.MultiplyAdd(r, Vector256.Create(1f / 6f), Vector256.Create(0.5f));
        Vector256<float> p45 = VectorMath.MultiplyAdd(r, Vector256.Create(1f / 120f), Vector256.Create(1f / 24f));
        Vector256<float> p67 = VectorMath.MultiplyAdd(r, Vector256.Create(1f / 5040f), Vector256.Create(1f / 720f));
        Vector256<float> p = VectorMath.MultiplyAdd(VectorMath.MultiplyAdd(p67, r2, p45), r2 * r2, VectorMath.MultiplyAdd(p23, r2, p01));
        Vector256<float> scale = (Vector256.ConvertToInt32Native(n) + Vector256.Create(127) << 23).AsSingle();
        return p * scale;
    }

    /// <summary>Writes the softmax of up to eight values to destination (same length, may be the same span).</summary>
    /// <remarks>Unused lanes hold −∞, whose exponential is 0, so they add nothing to the sum. A NaN makes every output NaN.</remarks>
    public static void SmallSoftmax(ReadOnlySpan<float> x, Span<float> destination)
    {
        int length = x.Length;
        if (length <= Vector128<float>.Count)
        {
            SoftmaxOfFour(x, destination);
            return;
        }

        float largest = x[0];
        for (int i = 1; i < length; i++)
        {
            largest = MathF.Max(largest, x[i]);
        }

        Vector256<float> values = Vector256.Create(float.NegativeInfinity);
        ref float lanes = ref Unsafe.As<Vector256<float>, float>(ref values);
        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref lanes, i) = x[i];
        }

        Vector256<float> exponentials = Exp(values - Vector256.Create(largest));
        Vector256<float> result = exponentials / Vector256.Create(Vector256.Sum(exponentials));
        ref float resultLanes = ref Unsafe.As<Vector256<float>, float>(ref result);
        for (int i = 0; i < length; i++)
        {
            destination[i] = Unsafe.Add(ref resultLanes, i);
        }
    }

    /// <summary>Softmax of one to four values, built and reduced in registers.</summary>
    private static void SoftmaxOfFour(ReadOnlySpan<float> x, Span<float> destination)
    {
        float none = float.NegativeInfinity;
        Vector128<float> values = x.Length switch
        {
            1 => Vector128.Create(x[0], none, none, none),
            2 => Vector128.Create(x[0], x[1], none, none),
            3 => Vector128.Create(x[0], x[1], x[2], none),
            _ => Vector128.Create(x[0], x[1], x[2], x[3]),
        };

        // The maximum and the sum reach every lane in two exchange steps. A NaN lane makes the sum NaN either way.
        Vector128<float> largest = Vector128.MaxNative(values, Vector128.Shuffle(values, Vector128.Create(2, 3, 0, 1)));
        largest = Vector128.MaxNative(largest, Vector128.Shuffle(largest, Vector128.Create(1, 0, 3, 2)));
        Vector128<float> exponentials = Exp((values - largest).ToVector256Unsafe()).GetLower();
        Vector128<float> sum = exponentials + Vector128.Shuffle(exponentials, Vector128.Create(2, 3, 0, 1));
        sum += Vector128.Shuffle(sum, Vector128.Create(1, 0, 3, 2));
        Vector128<float> result = exponentials / sum;
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = result.GetElement(i);
        }
    }

    /// <summary>
    /// Returns the dot products of eight rows of <paramref name="length"/> floats with x, as one vector with row r in
    /// lane r. Rows from <paramref name="rows"/> on repeat row 0, for a layer's last few outputs. Needs AVX.
    /// </summary>
    /// <remarks>
    /// Each row keeps one 256-bit sum, so eight chains of multiply-adds run side by side, and the eight sums reduce
    /// together in one <see cref="LaneSums.Reduce8"/>, which costs less than four-row groups that end in a horizontal
    /// sum each. A remainder of four goes through the low half of each sum; one to three more come one at a time.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Dot8(ref float w, int length, int rows, ref float x)
    {
        ref float w1 = ref rows > 1 ? ref Unsafe.Add(ref w, length) : ref w;
        ref float w2 = ref rows > 2 ? ref Unsafe.Add(ref w, 2 * length) : ref w;
        ref float w3 = ref rows > 3 ? ref Unsafe.Add(ref w, 3 * length) : ref w;
        ref float w4 = ref rows > 4 ? ref Unsafe.Add(ref w, 4 * length) : ref w;
        ref float w5 = ref rows > 5 ? ref Unsafe.Add(ref w, 5 * length) : ref w;
        ref float w6 = ref rows > 6 ? ref Unsafe.Add(ref w, 6 * length) : ref w;
        ref float w7 = ref rows > 7 ? ref Unsafe.Add(ref w, 7 * length) : ref w;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector256<float> s4 = default, s5 = default, s6 = default, s7 = default;
        int k = 0;
        for (; k <= length - 8; k += 8)
        {
            Vector256<float> xv = Vector256.LoadUnsafe(ref x, (nuint)k);
            s0 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref w, (nuint)k), xv, s0);
            s1 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref w1, (nuint)k), xv, s1);
            s2 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref w2, (nuint)k), xv, s2);
            s3 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref w3, (nuint)k), xv, s3);
            s4 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref w4, (nuint)k), xv, s4);
            s5 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref w5, (nuint)k), xv, s5);
            s6 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref w6, (nuint)k), xv, s6);
            s7 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref w7, (nuint)k), xv, s7);
        }

        if (k <= length - 4)
        {
            // A 128-bit load clears the upper half, so those lanes add zeros.
            Vector256<float> xv = Vector128.LoadUnsafe(ref x, (nuint)k).ToVector256();
            s0 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w, (nuint)k).ToVector256(), xv, s0);
            s1 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w1, (nuint)k).ToVector256(), xv, s1);
            s2 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w2, (nuint)k).ToVector256(), xv, s2);
            s3 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w3, (nuint)k).ToVector256(), xv, s3);
            s4 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w4, (nuint)k).ToVector256(), xv, s4);
            s5 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w5, (nuint)k).ToVector256(), xv, s5);
            s6 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w6, (nuint)k).ToVector256(), xv, s6);
            s7 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w7, (nuint)k).ToVector256(), xv, s7);
            k += 4;
        }

        Vector256<float> sums = LaneSums.Reduce8(s0, s1, s2, s3, s4, s5, s6, s7);
        for (; k < length; k++)
        {
            Vector256<float> column = Vector256.Create(
                Unsafe.Add(ref w, k), Unsafe.Add(ref w1, k), Unsafe.Add(ref w2, k), Unsafe.Add(ref w3, k),
                Unsafe.Add(ref w4, k), Unsafe.Add(ref w5, k), Unsafe.Add(ref w6, k), Unsafe.Add(ref w7, k));
            sums = VectorMath.MultiplyAdd(column, Vector256.Create(Unsafe.Add(ref x, k)), sums);
        }

        return sums;
    }

    /// <summary>
    /// Returns the dot products of four consecutive rows of <paramref name="length"/> floats with x, as one vector, in
    /// 128-bit steps: the path for rows shorter than eight, whose reduction is shorter than <see cref="Dot8"/>'s, and
    /// for processors without 256-bit vectors.
    /// </summary>
    public static Vector128<float> Dot4(ref float w, int length, ref float x)
    {
        ref float w1 = ref Unsafe.Add(ref w, length);
        ref float w2 = ref Unsafe.Add(ref w1, length);
        ref float w3 = ref Unsafe.Add(ref w2, length);
        int k = 0;
        Vector128<float> p0 = default, p1 = default, p2 = default, p3 = default;
        for (; k <= length - Vector128<float>.Count; k += Vector128<float>.Count)
        {
            Vector128<float> xv = Vector128.LoadUnsafe(ref x, (nuint)k);
            p0 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w, (nuint)k), xv, p0);
            p1 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w1, (nuint)k), xv, p1);
            p2 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w2, (nuint)k), xv, p2);
            p3 = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w3, (nuint)k), xv, p3);
        }

        Vector128<float> sums = Sum4(p0, p1, p2, p3);
        for (; k < length; k++)
        {
            float xk = Unsafe.Add(ref x, k);
            sums += Vector128.Create(Unsafe.Add(ref w, k), Unsafe.Add(ref w1, k), Unsafe.Add(ref w2, k), Unsafe.Add(ref w3, k)) * xk;
        }

        return sums;
    }

    /// <summary>Returns the dot product of <paramref name="length"/> floats of w and x, for the rows left after blocks of four.</summary>
    public static float Dot(ref float w, int length, ref float x)
    {
        int k = 0;
        Vector128<float> partial = default;
        for (; k <= length - Vector128<float>.Count; k += Vector128<float>.Count)
        {
            partial = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref w, (nuint)k), Vector128.LoadUnsafe(ref x, (nuint)k), partial);
        }

        float total = Vector128.Sum(partial);
        for (; k < length; k++)
        {
            total += Unsafe.Add(ref w, k) * Unsafe.Add(ref x, k);
        }

        return total;
    }

    /// <summary>Returns the lane sums of four vectors as one vector: three pairwise additions where the processor has them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector128<float> p0, Vector128<float> p1, Vector128<float> p2, Vector128<float> p3)
    {
        if (Sse3.IsSupported)
        {
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(p0, p1), Sse3.HorizontalAdd(p2, p3));
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(p0, p1), AdvSimd.Arm64.AddPairwise(p2, p3));
        }

        return Vector128.Create(Vector128.Sum(p0), Vector128.Sum(p1), Vector128.Sum(p2), Vector128.Sum(p3));
    }
}
