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
    /// <summary>
    /// Past this magnitude tanh is within 3.1e-8 of ±1, about half a unit in the last place, so the rational form is
    /// evaluated up to it and held constant beyond.
    /// </summary>
    private const float TanhClamp = 9f;

    // Coefficients of tanh(x) ≈ x·P(x²)/Q(x²) with P(0) = Q(0) = 1, fitted in float64 for the least largest relative
    // error on [0, 9] and rounded to float. tools/tanh-fit/fit_tanh.py computes them and prints the errors.
    private const float TanhP1 = 0.13381022f;
    private const float TanhP2 = 0.003495582f;
    private const float TanhP3 = 2.0608897e-05f;
    private const float TanhP4 = 1.335428e-08f;
    private const float TanhQ1 = 0.4671434f;
    private const float TanhQ2 = 0.025876964f;
    private const float TanhQ3 = 0.0003285621f;
    private const float TanhQ4 = 7.776427e-07f;

    /// <summary>x² below which tanh takes the form x + x·t·R(t)/Q(t): |x| &lt; 1.5.</summary>
    private const float SmallTanhSquare = 2.25f;

    // R(t) = (P(t) − Q(t)) / t, from the same fit before rounding. R(0) is close to −1/3, as in tanh's series.
    private const float TanhR0 = -0.333333164f;
    private const float TanhR1 = -0.0223813821f;
    private const float TanhR2 = -0.000307953189f;
    private const float TanhR3 = -7.64288473e-07f;

    /// <summary>Writes tanh(x) to destination (same length, may be the same span), 256 bits at a time.</summary>
    /// <remarks>
    /// tanh is a ratio of two polynomials of degree 4 in x² on [−9, 9], held at its value at ±9 beyond. That takes about
    /// fifteen multiply-adds and two divisions that run side by side, with a short dependency chain and no exponential.
    /// NaN gives NaN. Against float64, over
    /// every 16th float from 1e-6 to 12 and its negative, the largest relative error was 2.6e-7 (4.4 units in the
    /// last place). The kernel tests check a dense sweep against 4e-7.
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
        // tanh(x) = x·P(x²) / Q(x²) with both polynomials of degree 4, on x clamped to [−9, 9]. The clamp passes x as
        // the second operand of each comparison, which x64 returns when an operand is NaN, so NaN passes through. This
        // path runs only where 256-bit vectors are accelerated, which is x64 today.
        Vector256<float> clamped = Vector256.MinNative(Vector256.Create(TanhClamp), Vector256.MaxNative(Vector256.Create(-TanhClamp), x));
        Vector256<float> t = clamped * clamped;
        Vector256<float> t2 = t * t;

        // Both polynomials in Estrin's order: (c0 + c1·t) + t²·((c2 + c3·t) + c4·t²).
        Vector256<float> numerator = VectorMath.MultiplyAdd(
            VectorMath.MultiplyAdd(Vector256.Create(TanhP4), t2, VectorMath.MultiplyAdd(Vector256.Create(TanhP3), t, Vector256.Create(TanhP2))),
            t2,
            VectorMath.MultiplyAdd(Vector256.Create(TanhP1), t, Vector256<float>.One));
        Vector256<float> denominator = VectorMath.MultiplyAdd(
            VectorMath.MultiplyAdd(Vector256.Create(TanhQ4), t2, VectorMath.MultiplyAdd(Vector256.Create(TanhQ3), t, Vector256.Create(TanhQ2))),
            t2,
            VectorMath.MultiplyAdd(Vector256.Create(TanhQ1), t, Vector256<float>.One));

        // Near zero, x·P/Q loses a few units in the last place to its roundings. For |x| < 1.5 the kernel takes
        // tanh(x) = x + x·t·R(t)/Q(t) with R = (P − Q)/t instead, so the roundings fall on a correction of at most 0.4·x.
        Vector256<float> remainder = VectorMath.MultiplyAdd(
            VectorMath.MultiplyAdd(Vector256.Create(TanhR3), t, Vector256.Create(TanhR2)),
            t2,
            VectorMath.MultiplyAdd(Vector256.Create(TanhR1), t, Vector256.Create(TanhR0)));
        Vector256<float> small = VectorMath.MultiplyAdd(clamped * t, remainder / denominator, clamped);
        Vector256<float> large = clamped * numerator / denominator;
        return Vector256.ConditionalSelect(Vector256.LessThan(t, Vector256.Create(SmallTanhSquare)), small, large);
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
    /// and e^r is its Taylor polynomial through r⁷, whose first omitted term is below 1e-8 there.
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

    /// <summary>The maximum number of values <see cref="SmallSoftmax"/> and <see cref="SmallLogSumExp"/> accept: two 256-bit vectors.</summary>
    public const int SmallClasses = 16;

    /// <summary>Writes the softmax of up to sixteen values to destination (same length, may be the same span).</summary>
    /// <remarks>Unused lanes hold −∞, whose exponential is 0, so they add nothing to the sum. A NaN makes every output NaN.</remarks>
    public static void SmallSoftmax(ReadOnlySpan<float> x, Span<float> destination)
    {
        if (x.Length <= Vector128<float>.Count)
        {
            SoftmaxOfFour(x, destination);
            return;
        }

        (Vector256<float> low, Vector256<float> high) = ShiftedExponentials(x, out _);
        Vector256<float> total = Vector256.Create(Vector256.Sum(low + high));
        Vector256<float> lowResult = low / total;
        Vector256<float> highResult = high / total;
        ref float lowLanes = ref Unsafe.As<Vector256<float>, float>(ref lowResult);
        ref float highLanes = ref Unsafe.As<Vector256<float>, float>(ref highResult);
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = i < Vector256<float>.Count ? Unsafe.Add(ref lowLanes, i) : Unsafe.Add(ref highLanes, i - Vector256<float>.Count);
        }
    }

    /// <summary>Returns log Σ e^x over one to sixteen values, as max + log Σ e^(x − max). A NaN gives NaN.</summary>
    public static float SmallLogSumExp(ReadOnlySpan<float> x)
    {
        (Vector256<float> low, Vector256<float> high) = ShiftedExponentials(x, out float largest);
        return largest + MathF.Log(Vector256.Sum(low + high));
    }

    /// <summary>
    /// Returns e^(x − max) for up to sixteen values in two vectors, with 0 in the lanes past the values, and max.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Low, Vector256<float> High) ShiftedExponentials(ReadOnlySpan<float> x, out float largest)
    {
        largest = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            largest = MathF.Max(largest, x[i]);
        }

        Vector256<float> low = Vector256.Create(float.NegativeInfinity);
        Vector256<float> high = low;
        ref float lowLanes = ref Unsafe.As<Vector256<float>, float>(ref low);
        ref float highLanes = ref Unsafe.As<Vector256<float>, float>(ref high);
        for (int i = 0; i < x.Length; i++)
        {
            if (i < Vector256<float>.Count)
            {
                Unsafe.Add(ref lowLanes, i) = x[i];
            }
            else
            {
                Unsafe.Add(ref highLanes, i - Vector256<float>.Count) = x[i];
            }
        }

        var shift = Vector256.Create(largest);
        return (Exp(low - shift), Exp(high - shift));
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
