using System;
using Layerwise.Benchmarks;
using Layerwise.Kernels;
using Layerwise.Tests.Generated;
using Xunit;

namespace Layerwise.Tests.Kernels;

/// <summary>
/// The blocked products behind <see cref="DenseBatchKernels"/>: every inner length from 0 to past several vector
/// widths and every remainder of the row and column blocks, against a float64 reference; NaN and infinity; and the same
/// bits whether a product ran on one core or two. Each runs on every register width (512-, 256-, 128-bit and scalar
/// code), forced with <see cref="MatrixProducts.ForceWidth"/>. Widths this processor lacks run in software.
/// </summary>
public class MatrixProductTests
{
    /// <summary>A layer has at least one input; zero is rejected by name rather than read as an empty batch.</summary>
    [Fact]
    public void ZeroInputs_AreRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DenseBatchKernels.Forward<float>(default, default, default, new float[4], 0, 2));
        Assert.Equal("inputs", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => DenseBatchKernels.Backward<float>(default, default, default, default, default, default, 3, 0));
        Assert.Equal("outputs", error.ParamName);
    }

    /// <summary>The register widths in bits, 0 for scalar code.</summary>
    internal static readonly int[] WidthBits = [512, 256, 128, 0];

    /// <summary>
    /// Every width with every inner length up to past eight vectors of 256 bits and four of 512, and past one chunk of
    /// the inner dimension.
    /// </summary>
    public static TheoryData<int, int> InnerLengths()
    {
        var cases = new TheoryData<int, int>();
        foreach (int bits in WidthBits)
        {
            for (int length = 1; length <= 70; length++)
            {
                cases.Add(bits, length);
            }

            cases.Add(bits, 255);
            cases.Add(bits, 256);
            cases.Add(bits, 257);
            cases.Add(bits, 600);
        }

        return cases;
    }

    /// <summary>Every width with each of the given cases.</summary>
    private static TheoryData<int, int, int, int> EveryWidth(params (int, int, int)[] cases)
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int bits in WidthBits)
        {
            foreach ((int first, int second, int third) in cases)
            {
                data.Add(bits, first, second, third);
            }
        }

        return data;
    }

    public static TheoryData<int, int, int, int> OddShapes() => EveryWidth((1, 1, 1), (3, 5, 7), (17, 33, 13), (784, 10, 9));

    public static TheoryData<int> Widths() => new(WidthBits);

    [Fact]
    public void ForceWidth_AppliesUntilDisposed()
    {
        VectorWidth preferred = MatrixProducts.PreferredWidth<float>();
        Assert.Equal(preferred, MatrixProducts.CurrentWidth<float>());
        using (MatrixProducts.ForceWidth(VectorWidth.Bits512))
        {
            Assert.Equal(VectorWidth.Bits512, MatrixProducts.CurrentWidth<float>());
            using (MatrixProducts.ForceWidth(VectorWidth.Scalar))
            {
                Assert.Equal(VectorWidth.Scalar, MatrixProducts.CurrentWidth<double>());
            }

            Assert.Equal(VectorWidth.Bits512, MatrixProducts.CurrentWidth<float>());
        }

        Assert.Equal(preferred, MatrixProducts.CurrentWidth<float>());
        Assert.Equal(16, MatrixProducts.VectorCount<float>(VectorWidth.Bits512));
        Assert.Equal(2, MatrixProducts.VectorCount<double>(VectorWidth.Bits128));
        Assert.Equal(1, MatrixProducts.VectorCount<float>(VectorWidth.Scalar));
    }

    [Theory]
    [MemberData(nameof(InnerLengths))]
    public void Forward_EveryInnerLength_MatchesReference(int bits, int inputs)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        // Batches and widths up to 9 and 7 cover every remainder of the 4-row and 3-column blocks of the dot-product
        // form. From one vector of outputs, layers under 128 inputs take the broadcast form, and the other cases cover
        // its remainders: 37 outputs are two 512-bit vectors and five columns left for the narrower widths.
        foreach ((int batch, int outputs) in new[] { (1, 1), (4, 3), (5, 4), (9, 7), (8, 6), (7, 8), (13, 17), (6, 29), (1, 16), (7, 37) })
        {
            var random = new Random(inputs * 100 + batch * 10 + outputs);
            float[] w = Values(random, inputs * outputs);
            float[] b = Values(random, outputs);
            float[] x = Values(random, batch * inputs);
            var y = new float[batch * outputs];

            DenseBatchKernels.Forward<float>(w, b, x, y, inputs, outputs);

            AssertForwardClose(w, b, x, y, inputs, outputs, relu: false, $"{bits} bits, inputs {inputs}, batch {batch}");
        }
    }

    /// <summary>
    /// Wide layers at large batches take the broadcast form over a transposed W. The shapes leave every remainder: 300
    /// inputs are not a whole number of transpose tiles, 37 outputs not a whole number of vectors, 259 rows not a
    /// whole number of row blocks.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Forward_WideLayerLargeBatch_MatchesReference(int bits)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        foreach ((int inputs, int outputs, int batch) in new[] { (300, 37, 259), (131, 16, 256) })
        {
            Assert.True(
                DenseBatchKernels.UsesBroadcastForward(batch, inputs, outputs, MatrixProducts.VectorCount<float>((VectorWidth)bits)),
                "the shape takes the broadcast form");
            var random = new Random(inputs + outputs + batch);
            float[] w = Values(random, inputs * outputs);
            float[] b = Values(random, outputs);
            float[] x = Values(random, batch * inputs);
            var y = new float[batch * outputs];

            DenseBatchKernels.Forward<float>(w, b, x, y, inputs, outputs, FusedActivation.ReLU);

            AssertForwardClose(w, b, x, y, inputs, outputs, relu: true, $"{bits} bits, {inputs} -> {outputs}, batch {batch}");
        }
    }

    /// <summary>Checks every output of a forward product, with ReLU applied or not, against a float64 reference.</summary>
    private static void AssertForwardClose(float[] w, float[] b, float[] x, float[] y, int inputs, int outputs, bool relu, string shape)
    {
        int batch = x.Length / inputs;
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double expected = b[j];
                double magnitude = Math.Abs(b[j]);
                for (int i = 0; i < inputs; i++)
                {
                    expected += (double)w[(j * inputs) + i] * x[(s * inputs) + i];
                    magnitude += Math.Abs((double)w[(j * inputs) + i] * x[(s * inputs) + i]);
                }

                expected = relu ? Math.Max(expected, 0) : expected;
                AssertClose(expected, y[(s * outputs) + j], magnitude, $"{shape}, row {s}, output {j}");
            }
        }
    }

    [Fact]
    public void UsesBroadcastForward_ChoosesBySizes()
    {
        // Narrow layers at any batch, with a whole vector of outputs.
        Assert.True(DenseBatchKernels.UsesBroadcastForward(1, 64, 16, 16));
        Assert.False(DenseBatchKernels.UsesBroadcastForward(256, 64, 15, 16));

        // Wide layers from 256 rows, while W has at most 2^19 values.
        Assert.False(DenseBatchKernels.UsesBroadcastForward(255, 784, 256, 16));
        Assert.True(DenseBatchKernels.UsesBroadcastForward(256, 784, 256, 16));
        Assert.True(DenseBatchKernels.UsesBroadcastForward(256, 1024, 512, 16));
        Assert.False(DenseBatchKernels.UsesBroadcastForward(256, 2048, 512, 16));
        Assert.False(DenseBatchKernels.UsesBroadcastForward(4096, 784, 10, 16));
    }

    [Theory]
    [MemberData(nameof(InnerLengths))]
    public void Backward_EveryRowWidth_MatchesReference(int bits, int inputs)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);

        // Rows up to 13 cover every remainder of the 6-row blocks. The inner lengths cover one and two vectors of
        // every width, and each narrower remainder.
        foreach ((int batch, int outputs) in new[] { (1, 1), (6, 5), (7, 13), (13, 6) })
        {
            var random = new Random(inputs * 101 + batch * 11 + outputs);
            float[] w = Values(random, inputs * outputs);
            float[] x = Values(random, batch * inputs);
            float[] g = Values(random, batch * outputs);
            float[] weightGradient = Values(random, inputs * outputs);
            float[] before = (float[])weightGradient.Clone();
            var biasGradient = new float[outputs];
            var inputGradient = new float[batch * inputs];

            DenseBatchKernels.Backward<float>(w, x, g, weightGradient, biasGradient, inputGradient, inputs, outputs);

            for (int j = 0; j < outputs; j++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    double expected = before[(j * inputs) + i];
                    double magnitude = Math.Abs(expected);
                    for (int s = 0; s < batch; s++)
                    {
                        double term = (double)g[(s * outputs) + j] * x[(s * inputs) + i];
                        expected += term;
                        magnitude += Math.Abs(term);
                    }

                    AssertClose(expected, weightGradient[(j * inputs) + i], magnitude, $"{bits} bits, dW inputs {inputs}, row {j}, column {i}");
                }
            }

            for (int s = 0; s < batch; s++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    double expected = 0;
                    double magnitude = 0;
                    for (int j = 0; j < outputs; j++)
                    {
                        double term = (double)g[(s * outputs) + j] * w[(j * inputs) + i];
                        expected += term;
                        magnitude += Math.Abs(term);
                    }

                    AssertClose(expected, inputGradient[(s * inputs) + i], magnitude, $"{bits} bits, dX inputs {inputs}, row {s}, column {i}");
                }
            }
        }
    }

    public static TheoryData<int, int, int, FusedActivation> FusedCases()
    {
        var cases = new TheoryData<int, int, int, FusedActivation>();
        foreach (FusedActivation activation in new[] { FusedActivation.ReLU, FusedActivation.Sigmoid, FusedActivation.Tanh })
        {
            // The dot-product form (900 inputs, two chunks of the inner dimension), the broadcast form (40 inputs), and
            // a layer narrower than one vector.
            cases.Add(900, 37, 9, activation);
            cases.Add(40, 24, 13, activation);
            cases.Add(5, 3, 4, activation);
        }

        return cases;
    }

    /// <summary>The activation applied by the product gives exactly what the separate activation kernel gives.</summary>
    [Theory]
    [MemberData(nameof(FusedCases))]
    public void Forward_FusedActivation_MatchesSeparatePass(int inputs, int outputs, int batch, FusedActivation activation)
    {
        var random = new Random(inputs + outputs + (int)activation);
        float[] w = Values(random, inputs * outputs);
        float[] b = Values(random, outputs);
        float[] x = Values(random, batch * inputs);
        x[inputs] = float.NaN;
        var expected = new float[batch * outputs];
        var fused = new float[batch * outputs];

        DenseBatchKernels.Forward<float>(w, b, x, expected, inputs, outputs);
        switch (activation)
        {
            case FusedActivation.ReLU:
                ActivationKernels.ReLU<float>(expected, expected);
                break;
            case FusedActivation.Sigmoid:
                ActivationKernels.Sigmoid<float>(expected, expected);
                break;
            default:
                ActivationKernels.Tanh<float>(expected, expected);
                break;
        }

        DenseBatchKernels.Forward<float>(w, b, x, fused, inputs, outputs, activation);

        Assert.Equal(expected, fused);
        Assert.True(float.IsNaN(fused[outputs]), "the NaN input of row 1 reaches its activated output");
    }

    [Fact]
    public void Forward_UndefinedActivation_IsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => DenseBatchKernels.Forward<float>(new float[6], default, new float[3], new float[2], 3, 2, (FusedActivation)7));
        Assert.Equal("activation", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void OddShapes_Double_MatchReference(int bits, int inputs, int outputs, int batch)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        var random = new Random(inputs + outputs + batch);
        double[] w = ValuesDouble(random, inputs * outputs);
        double[] b = ValuesDouble(random, outputs);
        double[] x = ValuesDouble(random, batch * inputs);
        var y = new double[batch * outputs];

        DenseBatchKernels.Forward<double>(w, b, x, y, inputs, outputs);

        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double expected = b[j];
                for (int i = 0; i < inputs; i++)
                {
                    expected += w[(j * inputs) + i] * x[(s * inputs) + i];
                }

                Assert.Equal(expected, y[(s * outputs) + j], 1e-11);
            }
        }
    }

    public static TheoryData<int, int> NaNCases()
    {
        var cases = new TheoryData<int, int>();
        foreach (int bits in WidthBits)
        {
            foreach (int inputs in new[] { 5, 8, 37 })
            {
                cases.Add(bits, inputs);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(NaNCases))]
    public void Forward_PropagatesNaNAndInfinity(int bits, int inputs)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        int outputs = 5;
        int batch = 6;
        float[] w = Values(new Random(inputs), inputs * outputs);
        float[] x = Values(new Random(inputs + 1), batch * inputs);
        Array.Fill(w, 0.5f, 0, inputs);
        x[(1 * inputs) + inputs - 1] = float.NaN;
        x[(2 * inputs) + 0] = float.PositiveInfinity;
        x[(3 * inputs) + 0] = float.PositiveInfinity;
        x[(3 * inputs) + inputs - 1] = float.NegativeInfinity;
        var y = new float[batch * outputs];

        DenseBatchKernels.Forward<float>(w, default, x, y, inputs, outputs);

        for (int j = 0; j < outputs; j++)
        {
            Assert.True(float.IsNaN(y[(1 * outputs) + j]), $"a NaN input reaches output {j}");
            Assert.True(float.IsFinite(y[(0 * outputs) + j]), $"row 0, output {j} stays finite");
        }

        Assert.Equal(float.PositiveInfinity, y[(2 * outputs) + 0]);
        Assert.True(float.IsNaN(y[(3 * outputs) + 0]), "∞ − ∞ gives NaN");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Backward_PropagatesNaNAndInfinity(int bits)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        int inputs = 19;
        int outputs = 7;
        int batch = 8;
        float[] w = Values(new Random(1), inputs * outputs);
        float[] x = Values(new Random(2), batch * inputs);
        float[] g = Values(new Random(3), batch * outputs);
        g[(2 * outputs) + 3] = float.NaN;
        x[(5 * inputs) + 11] = float.PositiveInfinity;
        var weightGradient = new float[inputs * outputs];
        var inputGradient = new float[batch * inputs];

        DenseBatchKernels.Backward<float>(w, x, g, weightGradient, default, inputGradient, inputs, outputs);

        for (int i = 0; i < inputs; i++)
        {
            Assert.True(float.IsNaN(weightGradient[(3 * inputs) + i]), $"the NaN gradient reaches dW[3, {i}]");
            Assert.True(float.IsNaN(inputGradient[(2 * inputs) + i]), $"the NaN gradient reaches dX[2, {i}]");
            Assert.True(float.IsFinite(inputGradient[(4 * inputs) + i]), $"dX[4, {i}] stays finite");
        }

        Assert.True(float.IsInfinity(weightGradient[(0 * inputs) + 11]), "an infinite input makes its weight gradient infinite");
        Assert.True(float.IsFinite(weightGradient[(0 * inputs) + 10]), "its neighbour stays finite");
    }

    [Fact]
    public void PlanParts_SplitsOnlyLargeProducts()
    {
        int before = KernelThreads.MaxThreads;
        try
        {
            KernelThreads.MaxThreads = 2;
            int cores = Math.Min(2, Environment.ProcessorCount);
            Assert.Equal(1, KernelThreads.PlanParts(32 * 64 * 128, 32, 4));
            Assert.Equal(cores, KernelThreads.PlanParts(256L * 784 * 256, 256, 4));
            Assert.Equal(1, KernelThreads.PlanParts(256L * 784 * 256, 7, 4));
            KernelThreads.MaxThreads = 1;
            Assert.Equal(1, KernelThreads.PlanParts(256L * 784 * 256, 256, 4));
        }
        finally
        {
            KernelThreads.MaxThreads = before;
        }
    }

    [Theory]
    [InlineData(256, 4, 2)]
    [InlineData(10, 6, 2)]
    [InlineData(100, 6, 3)]
    [InlineData(256, 6, 2)]
    [InlineData(128, 6, 2)]
    [InlineData(7, 4, 2)]
    public void PartRows_CoverRowsInBalancedBlocks(int rows, int quantum, int parts)
    {
        int next = 0;
        int minBlocks = int.MaxValue;
        int maxBlocks = 0;
        for (int part = 0; part < parts; part++)
        {
            (int start, int end) = KernelThreads.PartRows(rows, part, parts, quantum);
            Assert.Equal(next, start);
            Assert.True(end >= start);
            Assert.True(end == rows || end % quantum == 0, $"part {part} ends at {end}, inside a block");

            // A shorter last block costs the kernels a whole one, so it counts as one.
            int blocks = (end - start + quantum - 1) / quantum;
            minBlocks = Math.Min(minBlocks, blocks);
            maxBlocks = Math.Max(maxBlocks, blocks);
            next = end;
        }

        Assert.Equal(rows, next);
        Assert.True(maxBlocks - minBlocks <= 1, $"parts hold {minBlocks} to {maxBlocks} blocks");
    }

    [Fact]
    public void MaxThreads_RejectsZero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.MaxThreads = 0);
    }

    private static void AssertClose(double expected, float actual, double magnitude, string location)
    {
        // Float rounding grows with the sum of the terms' magnitudes, not with the (possibly cancelled) result.
        double tolerance = (1e-6 * magnitude) + 1e-6;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{location}: expected {expected}, got {actual}");
    }

    internal static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    internal static double[] ValuesDouble(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (random.NextDouble() * 2) - 1;
        }

        return values;
    }
}

/// <summary>
/// Results and allocations with the products split across two cores. The class changes
/// <see cref="KernelThreads.MaxThreads"/>, so it runs alone.
/// </summary>
[Collection(nameof(SerialCollection))]
public class ParallelProductTests
{
    /// <summary>
    /// The forced width travels with the product to the worker threads, so the 512-bit case (run in software where the
    /// processor lacks it) is computed by the same code on both cores.
    /// </summary>
    [Theory]
    [InlineData(784, 256, 64, 256)]
    [InlineData(300, 131, 97, 256)]
    [InlineData(40, 96, 600, 256)]
    [InlineData(300, 131, 97, 512)]
    [InlineData(40, 96, 600, 512)]
    [InlineData(300, 131, 256, 256)]
    [InlineData(300, 131, 259, 512)]
    [InlineData(300, 40, 256, 512)]
    public void Products_TwoCores_MatchOneCore(int inputs, int outputs, int batch, int bits)
    {
        using var width = MatrixProducts.ForceWidth((VectorWidth)bits);
        var random = new Random(inputs + outputs);
        float[] w = MatrixProductTests.Values(random, inputs * outputs);
        float[] b = MatrixProductTests.Values(random, outputs);
        float[] x = MatrixProductTests.Values(random, batch * inputs);
        float[] g = MatrixProductTests.Values(random, batch * outputs);

        (float[] Y, float[] DW, float[] DB, float[] DX) Run(int threads)
        {
            int before = KernelThreads.MaxThreads;
            try
            {
                KernelThreads.MaxThreads = threads;
                var y = new float[batch * outputs];
                var dw = new float[inputs * outputs];
                var db = new float[outputs];
                var dx = new float[batch * inputs];
                DenseBatchKernels.Forward<float>(w, b, x, y, inputs, outputs, FusedActivation.Tanh);
                DenseBatchKernels.Backward<float>(w, x, g, dw, db, dx, inputs, outputs);
                return (y, dw, db, dx);
            }
            finally
            {
                KernelThreads.MaxThreads = before;
            }
        }

        var oneCore = Run(1);
        long splitsBefore = KernelThreads.SplitProducts;
        var twoCores = Run(2);

        if (Environment.ProcessorCount >= 2)
        {
            Assert.True(KernelThreads.SplitProducts >= splitsBefore + 3, "the forward and both backward products split");
        }

        Assert.Equal(oneCore.Y, twoCores.Y);
        Assert.Equal(oneCore.DW, twoCores.DW);
        Assert.Equal(oneCore.DB, twoCores.DB);
        Assert.Equal(oneCore.DX, twoCores.DX);
    }

    [Fact]
    public void Adam_TwoCores_MatchOneCore()
    {
        const int count = 300_001;
        float[] start = MatrixProductTests.Values(new Random(7), count);
        float[] gradients = MatrixProductTests.Values(new Random(8), count);

        float[] Run(int threads)
        {
            int before = KernelThreads.MaxThreads;
            try
            {
                KernelThreads.MaxThreads = threads;
                float[] parameters = (float[])start.Clone();
                var adam = new Layerwise.Training.Adam(1e-2).CreateState<float>(count);
                for (int step = 0; step < 3; step++)
                {
                    adam.Step(parameters, gradients);
                }

                return parameters;
            }
            finally
            {
                KernelThreads.MaxThreads = before;
            }
        }

        float[] oneCore = Run(1);
        long splitsBefore = KernelThreads.SplitProducts;
        float[] twoCores = Run(2);

        if (Environment.ProcessorCount >= 2)
        {
            Assert.True(KernelThreads.SplitProducts >= splitsBefore + 3, "every update split across the cores");
        }

        Assert.Equal(oneCore, twoCores);
        Assert.NotEqual(start, oneCore);
    }

    [Fact]
    public void TrainingStep_TwoCores_AllocatesNothing()
    {
        int before = KernelThreads.MaxThreads;
        try
        {
            KernelThreads.MaxThreads = 2;
            var net = new NetworkC(seed: 1);
            const int batch = 128;
            float[] inputs = MatrixProductTests.Values(new Random(5), batch * NetworkC.InputSize);
            var labels = new int[batch];
            for (int i = 0; i < batch; i++)
            {
                labels[i] = i % NetworkC.OutputSize;
            }

            var gradients = new float[NetworkC.ParameterCount];
            var adam = new Layerwise.Training.Adam(1e-3).CreateState(net);
            net.ComputeGradients(inputs, labels, gradients);
            adam.Step(net.Parameters, gradients);

            // The calling thread and the workers are every thread that runs the step; each is counted exactly. A
            // process-wide count would also see the test host's own allocations, which go on beside the test.
            long splitsBefore = KernelThreads.SplitProducts;
            long workerBefore = KernelThreads.WorkerAllocatedBytes;
            long callerBefore = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 5; round++)
            {
                net.ComputeGradients(inputs, labels, gradients);
                adam.Step(net.Parameters, gradients);
            }

            long caller = GC.GetAllocatedBytesForCurrentThread() - callerBefore;
            long workers = KernelThreads.WorkerAllocatedBytes - workerBefore;

            Assert.Equal(0, caller);
            Assert.Equal(0, workers);
            if (Environment.ProcessorCount >= 2)
            {
                Assert.True(KernelThreads.SplitProducts > splitsBefore, "the step split its products across the cores");
            }
        }
        finally
        {
            KernelThreads.MaxThreads = before;
        }
    }
}
