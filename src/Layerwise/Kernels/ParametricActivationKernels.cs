using System;
using System.Numerics;

namespace Layerwise.Kernels;

/// <summary>
/// Activations whose backward pass needs the pre-activation x rather than the output: LeakyReLU, PReLU, ELU
/// and SELU, GELU, SiLU and Softplus. Forward methods allow the destination to be the input; backward methods
/// allow the destination to be the gradient.
/// </summary>
/// <remarks>
/// NOTE: these loops are scalar; the vectorized paths of the other activations have not been written for them yet.
/// </remarks>
public static class ParametricActivationKernels
{
    /// <summary>λ of SELU (Klambauer et al., 2017), as PyTorch uses it.</summary>
    public const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>α of SELU (Klambauer et al., 2017), as PyTorch uses it.</summary>
    public const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>Above this input Softplus returns x itself, as PyTorch's default threshold does.</summary>
    public const double SoftplusThreshold = 20;

    private const double SqrtTwoOverPi = 0.7978845608028654;
    private const double GeluCubic = 0.044715;

    /// <summary>destination = x for x &gt; 0, α·x otherwise.</summary>
    public static void LeakyReLU<T>(ReadOnlySpan<T> x, Span<T> destination, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            destination[i] = v > T.Zero ? v : alpha * v;
        }
    }

    /// <summary>destination = gradient for x &gt; 0, α·gradient otherwise.</summary>
    public static void LeakyReLUBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, Span<T> destination, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackward(x, gradient, destination);
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = x[i] > T.Zero ? gradient[i] : alpha * gradient[i];
        }
    }

    /// <summary>
    /// destination = x for x &gt; 0, aⱼ·x otherwise, where x is rows of <paramref name="slopes"/>.Length units and
    /// j the unit within its row.
    /// </summary>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not a multiple of the slope count.</exception>
    public static void PReLU<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> slopes, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        int units = slopes.Length;
        CheckRows(x.Length, units, nameof(x));
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            destination[i] = v > T.Zero ? v : slopes[i % units] * v;
        }
    }

    /// <summary>
    /// destination = gradient where x &gt; 0, aⱼ·gradient otherwise, and slopeGradientⱼ += Σ gradient·x over the
    /// values of unit j with x ≤ 0.
    /// </summary>
    public static void PReLUBackward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, Span<T> destination, ReadOnlySpan<T> slopes, Span<T> slopeGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackward(x, gradient, destination);
        int units = slopes.Length;
        CheckRows(x.Length, units, nameof(x));
        ThrowHelper.ThrowIfLengthDiffers(units, slopeGradient.Length, nameof(slopeGradient));
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            T g = gradient[i];
            if (v > T.Zero)
            {
                destination[i] = g;
            }
            else
            {
                int unit = i % units;
                slopeGradient[unit] += g * v;
                destination[i] = slopes[unit] * g;
            }
        }
    }

    /// <summary>destination = scale·x for x &gt; 0, scale·α·(eˣ − 1) otherwise (ELU with scale 1, SELU with λ and α).</summary>
    public static void ELU<T>(ReadOnlySpan<T> x, Span<T> destination, T alpha, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            destination[i] = v > T.Zero ? scale * v : scale * alpha * T.ExpM1(v);
        }
    }

    /// <summary>destination = scale·gradient for x &gt; 0, scale·α·eˣ·gradient otherwise.</summary>
    public static void ELUBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, Span<T> destination, T alpha, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackward(x, gradient, destination);
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            destination[i] = v > T.Zero ? scale * gradient[i] : scale * alpha * T.Exp(v) * gradient[i];
        }
    }

    /// <summary>
    /// destination = x·Φ(x), or with <paramref name="approximate"/> x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    /// Φ is evaluated in double through erfc, so it keeps full relative accuracy for negative x.
    /// </summary>
    public static void GELU<T>(ReadOnlySpan<T> x, Span<T> destination, bool approximate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            double y = approximate
                ? 0.5 * v * (1 + Math.Tanh(SqrtTwoOverPi * (v + GeluCubic * v * v * v)))
                : v * SpecialFunctions.NormalCdf(v);
            destination[i] = T.CreateTruncating(y);
        }
    }

    /// <summary>destination = gradient · d/dx GELU(x): Φ(x) + x·φ(x), or the derivative of the tanh form.</summary>
    public static void GELUBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, Span<T> destination, bool approximate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackward(x, gradient, destination);
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            double derivative;
            if (approximate)
            {
                double inner = SqrtTwoOverPi * (v + GeluCubic * v * v * v);
                double tanh = Math.Tanh(inner);
                derivative = 0.5 * (1 + tanh) + 0.5 * v * (1 - tanh * tanh) * SqrtTwoOverPi * (1 + 3 * GeluCubic * v * v);
            }
            else
            {
                derivative = SpecialFunctions.NormalCdf(v) + v * SpecialFunctions.NormalPdf(v);
            }

            destination[i] = T.CreateTruncating(derivative) * gradient[i];
        }
    }

    /// <summary>destination = x·σ(β·x).</summary>
    public static void SiLU<T>(ReadOnlySpan<T> x, Span<T> destination, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            destination[i] = v * Sigmoid(beta * v);
        }
    }

    /// <summary>
    /// destination = gradient · (σ(βx) + βx·σ(βx)·(1 − σ(βx))).
    /// </summary>
    /// <returns>Σ gradient · x²·σ(βx)·(1 − σ(βx)), the derivative with respect to β.</returns>
    public static T SiLUBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, Span<T> destination, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackward(x, gradient, destination);
        T betaGradient = T.Zero;
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            T g = gradient[i];
            T s = Sigmoid(beta * v);
            T slope = s * (T.One - s);
            betaGradient += g * v * v * slope;
            destination[i] = g * (s + beta * v * slope);
        }

        return betaGradient;
    }

    /// <summary>destination = log(1 + eˣ), or x above <see cref="SoftplusThreshold"/>.</summary>
    public static void Softplus<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
        T threshold = T.CreateTruncating(SoftplusThreshold);
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            destination[i] = v > threshold ? v : T.LogP1(T.Exp(v));
        }
    }

    /// <summary>destination = gradient·σ(x), or gradient above <see cref="SoftplusThreshold"/>.</summary>
    public static void SoftplusBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBackward(x, gradient, destination);
        T threshold = T.CreateTruncating(SoftplusThreshold);
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            destination[i] = v > threshold ? gradient[i] : gradient[i] * Sigmoid(v);
        }
    }

    private static T Sigmoid<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

    private static void CheckBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, Span<T> destination)
    {
        ThrowHelper.ThrowIfLengthDiffers(x.Length, gradient.Length, nameof(gradient));
        ThrowHelper.ThrowIfLengthDiffers(x.Length, destination.Length, nameof(destination));
    }

    private static void CheckRows(int length, int units, string parameterName)
    {
        if (units == 0 || length % units != 0)
        {
            throw new ArgumentException($"Expected rows of {units} values, but got {length} values.", parameterName);
        }
    }
}
