using System;
using Layerwise.Kernels;
using Layerwise.Tests.Generated;
using Xunit;

namespace Layerwise.Tests.Kernels;

/// <summary>
/// The batch products that skip zero inputs (<c>skipZeroInputs: true</c>): the steps each block keeps, the products
/// against a float64 reference at every register width, and the fallback to the dense product.
/// </summary>
public class ZeroInputTests
{
    /// <summary>Shapes that leave every remainder: partial blocks of six rows and of six inputs, partial vectors of outputs, masks past one word.</summary>
    public static TheoryData<int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int bits in new[] { 0, 128, 256, 512 })
        {
            data.Add(bits, 300, 37, 259);
            data.Add(bits, 70, 131, 61);
            data.Add(bits, 64, 33, 130);
            data.Add(bits, 30, 257, 263);
        }

        return data;
    }

    [Fact]
    public unsafe void PackSamples_KeepsNonzeroSteps()
    {
        const int batch = 13;
        const int inputs = 70;
        double[] x = SparseInputs(new Random(3), batch, inputs);
        KeptSteps<double> packing = KeptSteps<double>.Rent();
        fixed (double* px = x)
        {
            Assert.True(packing.TryPackSamples(px, batch, inputs, 1.0));
        }

        Assert.Equal(3, packing.Blocks);
        int t = 0;
        for (int block = 0; block < 3; block++)
        {
            Assert.Equal(t, packing.BlockStarts[block]);
            for (int i = 0; i < inputs; i++)
            {
                bool any = false;
                for (int r = block * 6; r < Math.Min(batch, (block + 1) * 6); r++)
                {
                    any |= x[(r * inputs) + i] != 0;
                }

                if (!any)
                {
                    continue;
                }

                Assert.Equal(i, packing.Steps[t]);
                for (int r = 0; r < 6; r++)
                {
                    int row = (block * 6) + r;
                    Assert.Equal(row < batch ? x[(row * inputs) + i] : 0, packing.Coefficients[(t * 6) + r]);
                }

                t++;
            }
        }

        Assert.Equal(t, packing.Kept);
        Assert.InRange(t, 1, 3 * inputs - 1);
    }

    [Fact]
    public unsafe void PackInputs_KeepsNonzeroSamples()
    {
        const int batch = 70;
        const int inputs = 67;
        double[] x = SparseInputs(new Random(4), batch, inputs);
        KeptSteps<double> packing = KeptSteps<double>.Rent();
        fixed (double* px = x)
        {
            Assert.True(packing.TryPackInputs(px, batch, inputs, 1.0));
        }

        int blocks = (inputs + 5) / 6;
        Assert.Equal(blocks, packing.Blocks);
        int t = 0;
        for (int block = 0; block < blocks; block++)
        {
            Assert.Equal(t, packing.BlockStarts[block]);
            int first = block * 6;
            for (int s = 0; s < batch; s++)
            {
                bool any = false;
                for (int i = first; i < Math.Min(inputs, first + 6); i++)
                {
                    any |= x[(s * inputs) + i] != 0;
                }

                if (!any)
                {
                    continue;
                }

                Assert.Equal(s, packing.Steps[t]);
                for (int c = 0; c < 6; c++)
                {
                    Assert.Equal(first + c < inputs ? x[(s * inputs) + first + c] : 0, packing.Coefficients[(t * 6) + c]);
                }

                t++;
            }
        }

        Assert.Equal(t, packing.Kept);
    }

    [Fact]
    public unsafe void Pack_FewZeros_Rejected()
    {
        var random = new Random(5);
        double[] dense = SparseInputs(random, 40, 50);
        for (int i = 0; i < dense.Length; i++)
        {
            dense[i] = random.NextDouble() + 0.5;
        }

        double[] sparse = SparseInputs(random, 40, 50);
        KeptSteps<double> packing = KeptSteps<double>.Rent();
        fixed (double* px = dense)
        fixed (double* ps = sparse)
        {
            Assert.False(packing.TryPackSamples(px, 40, 50, 1.0), "more than half of the first rows is nonzero");
            Assert.False(packing.TryPackInputs(px, 40, 50, 1.0), "more than half of the first rows is nonzero");
            Assert.True(packing.TryPackSamples(ps, 40, 50, 0.75));
            Assert.False(packing.TryPackSamples(ps, 40, 50, 0.2), "the blocks keep more than a fifth of their steps");
            Assert.False(packing.TryPackInputs(ps, 40, 50, 0.2), "the blocks keep more than a fifth of their steps");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_Skipping_MatchesReference(int bits, int inputs, int outputs, int batch)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        var random = new Random(inputs + outputs + batch);
        double[] w = Values(random, inputs * outputs);
        double[] b = Values(random, outputs);
        double[] x = SparseInputs(random, batch, inputs);
        var y = new double[batch * outputs];
        var noBias = new double[batch * outputs];

        DenseBatchKernels.Forward<double>(w, b, x, y, inputs, outputs, FusedActivation.Tanh, skipZeroInputs: true);
        DenseBatchKernels.Forward<double>(w, default, x, noBias, inputs, outputs, FusedActivation.None, skipZeroInputs: true);

        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double sum = 0;
                for (int i = 0; i < inputs; i++)
                {
                    sum += w[(j * inputs) + i] * x[(s * inputs) + i];
                }

                Assert.Equal(Math.Tanh(sum + b[j]), y[(s * outputs) + j], 1e-12);
                Assert.Equal(sum, noBias[(s * outputs) + j], 1e-12);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_Skipping_MatchesReference(int bits, int inputs, int outputs, int batch)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        var random = new Random(inputs * 3 + outputs + batch);
        double[] w = Values(random, inputs * outputs);
        double[] x = SparseInputs(random, batch, inputs);
        double[] g = Values(random, batch * outputs);
        double[] weightGradient = Values(random, inputs * outputs);
        double[] biasGradient = Values(random, outputs);
        var inputGradient = new double[batch * inputs];

        DenseBatchKernels.Backward<double>(w, x, g, weightGradient, biasGradient, inputGradient, inputs, outputs, accumulate: false, skipZeroInputs: true);

        for (int j = 0; j < outputs; j++)
        {
            double bias = 0;
            for (int s = 0; s < batch; s++)
            {
                bias += g[(s * outputs) + j];
            }

            Assert.Equal(bias, biasGradient[j], 1e-12);
            for (int i = 0; i < inputs; i++)
            {
                double expected = 0;
                for (int s = 0; s < batch; s++)
                {
                    expected += g[(s * outputs) + j] * x[(s * inputs) + i];
                }

                Assert.Equal(expected, weightGradient[(j * inputs) + i], 1e-12);
            }
        }

        for (int s = 0; s < batch; s += 7)
        {
            for (int i = 0; i < inputs; i++)
            {
                double expected = 0;
                for (int j = 0; j < outputs; j++)
                {
                    expected += g[(s * outputs) + j] * w[(j * inputs) + i];
                }

                Assert.Equal(expected, inputGradient[(s * inputs) + i], 1e-12);
            }
        }
    }

    /// <summary>
    /// A NaN weight next to an input that is zero in every sample stays out of the outputs: the kept steps leave out
    /// 0 · NaN, which the dense product would add, so the two paths give different results here. A NaN input counts as nonzero and
    /// reaches its sample's outputs.
    /// </summary>
    [Fact]
    public void Forward_BlankInput_SkipsNaNWeight()
    {
        const int inputs = 64;
        const int outputs = 40;
        const int batch = 120;
        var random = new Random(6);
        float[] w = Floats(Values(random, inputs * outputs));
        float[] x = Floats(SparseInputs(random, batch, inputs));
        w[(5 * inputs) + 2] = float.NaN;
        x[(7 * inputs) + 40] = float.NaN;
        var skipping = new float[batch * outputs];
        var dense = new float[batch * outputs];

        DenseBatchKernels.Forward<float>(w, default, x, skipping, inputs, outputs, FusedActivation.None, skipZeroInputs: true);
        DenseBatchKernels.Forward<float>(w, default, x, dense, inputs, outputs, FusedActivation.None, skipZeroInputs: false);

        Assert.True(float.IsNaN(dense[5]), "the dense product adds 0 · NaN");
        Assert.True(float.IsFinite(skipping[5]), "input 2 is zero in every sample, so its NaN weight is left out");
        Assert.True(float.IsNaN(skipping[(7 * outputs) + 3]), "a NaN input reaches its sample's outputs");
        Assert.True(float.IsFinite(skipping[(8 * outputs) + 3]), "and no other sample's");
    }

    /// <summary>
    /// A layer wider than the dense broadcast form takes (2^19 weights) still skips zero inputs, up to 2^23 weights: the
    /// NaN weight next to a blank input stays out of the output.
    /// </summary>
    [Fact]
    public void Forward_WideLayer_SkipsNaNWeight()
    {
        const int inputs = 64;
        const int outputs = 8300;
        const int batch = 24;
        Assert.True((long)inputs * outputs > ProductThresholds.BroadcastForwardWeights, "wider than the dense broadcast form");
        var random = new Random(10);
        float[] w = Floats(Values(random, inputs * outputs));
        float[] x = Floats(SparseInputs(random, batch, inputs));
        w[(8200 * inputs) + 3] = float.NaN;
        var y = new float[batch * outputs];

        DenseBatchKernels.Forward<float>(w, default, x, y, inputs, outputs, FusedActivation.None, skipZeroInputs: true);

        Assert.True(float.IsFinite(y[8200]), "input 3 is zero in every sample, so its NaN weight is left out");
        double expected = 0;
        for (int i = 0; i < inputs; i++)
        {
            expected += (double)w[i] * x[i];
        }

        Assert.Equal(expected, y[0], 1e-4);
    }

    [Fact]
    public void Backward_BlankBlock_SkipsNaNGradient()
    {
        const int inputs = 64;
        const int outputs = 40;
        const int batch = 120;
        var random = new Random(7);
        float[] w = Floats(Values(random, inputs * outputs));
        float[] x = Floats(SparseInputs(random, batch, inputs));
        float[] g = Floats(Values(random, batch * outputs));
        g[(9 * outputs) + 4] = float.NaN;
        x[(9 * inputs) + 32] = 0.5f;
        var skipping = new float[inputs * outputs];
        var dense = new float[inputs * outputs];

        DenseBatchKernels.Backward<float>(w, x, g, skipping, default, default, inputs, outputs, accumulate: false, skipZeroInputs: true);
        DenseBatchKernels.Backward<float>(w, x, g, dense, default, default, inputs, outputs, accumulate: false, skipZeroInputs: false);

        Assert.True(float.IsNaN(dense[(4 * inputs) + 1]), "the dense product adds 0 · NaN");
        Assert.True(float.IsFinite(skipping[(4 * inputs) + 1]), "inputs 0 to 5 are zero in every sample");
        Assert.True(float.IsNaN(skipping[(4 * inputs) + 32]), "sample 9 has nonzero inputs in the middle block");
    }

    [Fact]
    public void FewZeros_EqualDenseProducts()
    {
        const int inputs = 300;
        const int outputs = 37;
        const int batch = 259;
        var random = new Random(8);
        float[] w = Floats(Values(random, inputs * outputs));
        float[] x = Floats(Values(random, batch * inputs));
        float[] g = Floats(Values(random, batch * outputs));
        var y = new float[batch * outputs];
        var yDense = new float[batch * outputs];
        var dw = new float[inputs * outputs];
        var dwDense = new float[inputs * outputs];

        DenseBatchKernels.Forward<float>(w, default, x, y, inputs, outputs, FusedActivation.ReLU, skipZeroInputs: true);
        DenseBatchKernels.Forward<float>(w, default, x, yDense, inputs, outputs, FusedActivation.ReLU, skipZeroInputs: false);
        DenseBatchKernels.Backward<float>(w, x, g, dw, default, default, inputs, outputs, accumulate: false, skipZeroInputs: true);
        DenseBatchKernels.Backward<float>(w, x, g, dwDense, default, default, inputs, outputs, accumulate: false, skipZeroInputs: false);

        Assert.Equal(yDense, y);
        Assert.Equal(dwDense, dw);
    }

    [Fact]
    public void Skipping_AllocatesNothing()
    {
        const int inputs = 300;
        const int outputs = 37;
        const int batch = 259;
        var random = new Random(9);
        float[] w = Floats(Values(random, inputs * outputs));
        float[] x = Floats(SparseInputs(random, batch, inputs));
        float[] g = Floats(Values(random, batch * outputs));
        var y = new float[batch * outputs];
        var dw = new float[inputs * outputs];
        DenseBatchKernels.Forward<float>(w, default, x, y, inputs, outputs, FusedActivation.ReLU, skipZeroInputs: true);
        DenseBatchKernels.Backward<float>(w, x, g, dw, default, default, inputs, outputs, accumulate: false, skipZeroInputs: true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            DenseBatchKernels.Forward<float>(w, default, x, y, inputs, outputs, FusedActivation.ReLU, skipZeroInputs: true);
            DenseBatchKernels.Backward<float>(w, x, g, dw, default, default, inputs, outputs, accumulate: false, skipZeroInputs: true);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// Inputs laid out like a digit on a blank page: zero outside the middle half of the inputs, and 40% nonzero inside
    /// it. Blocks of six samples then keep about half the input steps, and blocks of six inputs about half the samples.
    /// </summary>
    internal static double[] SparseInputs(Random random, int batch, int inputs)
    {
        var values = new double[batch * inputs];
        for (int s = 0; s < batch; s++)
        {
            for (int i = inputs / 4; i < 3 * inputs / 4; i++)
            {
                if (random.NextDouble() < 0.4)
                {
                    values[(s * inputs) + i] = random.NextDouble() * 2 - 1;
                }
            }
        }

        return values;
    }

    private static float[] Floats(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static double[] Values(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.NextDouble() * 2 - 1;
        }

        return values;
    }
}

/// <summary>Products that skip zero inputs give the same bits on one core and two. The class changes <see cref="KernelThreads.MaxThreads"/>, so it runs alone.</summary>
[Collection(nameof(SerialCollection))]
public class ParallelZeroInputTests
{
    [Theory]
    [InlineData(784, 256, 256, 512)]
    [InlineData(784, 256, 256, 256)]
    [InlineData(300, 131, 259, 512)]
    [InlineData(300, 96, 256, 0)]
    public void Skipping_TwoCores_MatchOneCore(int inputs, int outputs, int batch, int bits)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        var random = new Random(inputs + outputs + bits);
        float[] w = Array.ConvertAll(ZeroInputTests.SparseInputs(random, outputs, inputs), v => (float)v + 0.25f);
        float[] b = Array.ConvertAll(ZeroInputTests.SparseInputs(random, 1, outputs), v => (float)v);
        float[] x = Array.ConvertAll(ZeroInputTests.SparseInputs(random, batch, inputs), v => (float)v);
        float[] g = Array.ConvertAll(ZeroInputTests.SparseInputs(random, batch, outputs), v => (float)v - 0.5f);

        (float[] Y, float[] DW) Run(int threads)
        {
            int before = KernelThreads.MaxThreads;
            try
            {
                KernelThreads.MaxThreads = threads;
                var y = new float[batch * outputs];
                var dw = new float[inputs * outputs];
                DenseBatchKernels.Forward<float>(w, b, x, y, inputs, outputs, FusedActivation.ReLU, skipZeroInputs: true);
                DenseBatchKernels.Backward<float>(w, x, g, dw, default, default, inputs, outputs, accumulate: false, skipZeroInputs: true);
                return (y, dw);
            }
            finally
            {
                KernelThreads.MaxThreads = before;
            }
        }

        var oneCore = Run(1);
        long splitsBefore = KernelThreads.SplitProducts;
        var twoCores = Run(2);

        if (Environment.ProcessorCount > 1)
        {
            Assert.True(KernelThreads.SplitProducts > splitsBefore, "the products split");
        }

        Assert.Equal(oneCore.Y, twoCores.Y);
        Assert.Equal(oneCore.DW, twoCores.DW);
    }

    /// <summary>
    /// X passes the first check but its blocks keep more steps than allowed, so each part computes its share densely:
    /// the results are those of the dense products, on one core and on two.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void BlocksKeepTooMuch_RunDense(int threads)
    {
        const int inputs = 784;
        const int outputs = 256;
        const int batch = 256;
        var random = new Random(threads);
        float[] w = Array.ConvertAll(ZeroInputTests.SparseInputs(random, outputs, inputs), v => (float)v + 0.25f);
        float[] x = Array.ConvertAll(ZeroInputTests.SparseInputs(random, batch, inputs), v => (float)v);
        float[] g = Array.ConvertAll(ZeroInputTests.SparseInputs(random, batch, outputs), v => (float)v - 0.5f);
        var y = new float[batch * outputs];
        var yDense = new float[batch * outputs];
        var dw = new float[inputs * outputs];
        var dwDense = new float[inputs * outputs];
        int threadsBefore = KernelThreads.MaxThreads;
        double keptBefore = DenseBatchKernels.MaxKeptFraction;
        try
        {
            KernelThreads.MaxThreads = threads;
            DenseBatchKernels.MaxKeptFraction = 0.1;
            DenseBatchKernels.Forward<float>(w, default, x, y, inputs, outputs, FusedActivation.ReLU, skipZeroInputs: true);
            DenseBatchKernels.Forward<float>(w, default, x, yDense, inputs, outputs, FusedActivation.ReLU, skipZeroInputs: false);
            DenseBatchKernels.Backward<float>(w, x, g, dw, default, default, inputs, outputs, accumulate: false, skipZeroInputs: true);
            DenseBatchKernels.Backward<float>(w, x, g, dwDense, default, default, inputs, outputs, accumulate: false, skipZeroInputs: false);
        }
        finally
        {
            KernelThreads.MaxThreads = threadsBefore;
            DenseBatchKernels.MaxKeptFraction = keptBefore;
        }

        Assert.Equal(yDense, y);
        Assert.Equal(dwDense, dw);
    }
}
