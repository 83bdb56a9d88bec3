using System;
using Layerwise.Kernels;
using Xunit;

namespace Layerwise.Tests.Kernels;

/// <summary>
/// <see cref="Transpose.Matrix{T}"/>: every shape up to past two register tiles each way, a few layer shapes, both
/// element types, against an element-by-element reference; and the input checks.
/// </summary>
public class TransposeTests
{
    public static TheoryData<int, int> Shapes()
    {
        var shapes = new TheoryData<int, int>();
        for (int rows = 0; rows <= 19; rows++)
        {
            for (int columns = 0; columns <= 19; columns++)
            {
                shapes.Add(rows, columns);
            }
        }

        shapes.Add(128, 64);
        shapes.Add(64, 128);
        shapes.Add(10, 784);
        shapes.Add(17, 33);
        shapes.Add(256, 784);

        // Several bands of 32 rows, and a last band with a partial tile.
        shapes.Add(33, 17);
        shapes.Add(70, 45);
        shapes.Add(99, 8);
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_MatchesElementByElement(int rows, int columns) => Check<float>(rows, columns);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_MatchesElementByElement(int rows, int columns) => Check<double>(rows, columns);

    /// <summary>Values are moved, not computed: NaN payloads, infinities and negative zero arrive as they left.</summary>
    [Fact]
    public void SpecialValues_ArriveUnchanged()
    {
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue];
        var source = new float[9 * 11];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = special[i % special.Length];
        }

        var result = new float[source.Length];
        Transpose.Matrix<float>(source, 9, 11, result);
        for (int i = 0; i < 9; i++)
        {
            for (int j = 0; j < 11; j++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(source[(i * 11) + j]), BitConverter.SingleToInt32Bits(result[(j * 9) + i]));
            }
        }
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        var buffer = new float[64];
        Assert.Throws<ArgumentOutOfRangeException>(() => Transpose.Matrix<float>(buffer, -1, 4, new float[64]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Transpose.Matrix<float>(buffer, 4, -1, new float[64]));
        var error = Assert.Throws<ArgumentException>(() => Transpose.Matrix<float>(buffer, 8, 9, new float[72]));
        Assert.Contains("needs 72 values", error.Message);
        Assert.Throws<ArgumentException>(() => Transpose.Matrix<float>(buffer, 8, 8, new float[63]));
        error = Assert.Throws<ArgumentException>(() => Transpose.Matrix<float>(buffer.AsSpan(0, 32), 4, 8, buffer.AsSpan(16, 32)));
        Assert.Equal("destination", error.ParamName);
    }

    private static void Check<T>(int rows, int columns)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var source = new T[rows * columns];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = T.CreateChecked(i + 1);
        }

        // One spare value each side shows a write outside the result.
        var result = new T[source.Length + 2];
        result[0] = T.NaN;
        result[^1] = T.NaN;
        Transpose.Matrix<T>(source, rows, columns, result.AsSpan(1, source.Length));
        Assert.True(T.IsNaN(result[0]), "the transpose wrote before its destination");
        Assert.True(T.IsNaN(result[^1]), "the transpose wrote past its destination");
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                Assert.Equal(source[(i * columns) + j], result[1 + (j * rows) + i]);
            }
        }
    }
}
