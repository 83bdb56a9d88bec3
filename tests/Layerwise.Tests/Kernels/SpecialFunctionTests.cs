using System;
using Layerwise.Kernels;
using Xunit;

namespace Layerwise.Tests.Kernels;

/// <summary>erf and erfc against Python 3.11's math.erf and math.erfc, which call the C library's.</summary>
public class SpecialFunctionTests
{
    private const double Tolerance = 1e-14;

    [Theory]
    [InlineData(0.0, 0.0, 1.0)]
    [InlineData(0.1, 0.1124629160182849, 0.8875370839817152)]
    [InlineData(0.5, 0.5204998778130465, 0.4795001221869535)]
    [InlineData(1.0, 0.8427007929497149, 0.15729920705028513)]
    [InlineData(1.5, 0.9661051464753108, 0.033894853524689274)]
    [InlineData(2.0, 0.9953222650189527, 0.004677734981047265)]
    [InlineData(2.5, 0.999593047982555, 0.0004069520174449589)]
    [InlineData(2.99, 0.9999764743969194, 2.3525603080640195e-05)]
    [InlineData(3.0, 0.9999779095030014, 2.2090496998585438e-05)]
    [InlineData(3.5, 0.9999992569016276, 7.430983723414128e-07)]
    [InlineData(4.0, 0.9999999845827421, 1.541725790028002e-08)]
    [InlineData(5.0, 0.9999999999984626, 1.5374597944280351e-12)]
    [InlineData(6.0, 1.0, 2.1519736712498916e-17)]
    [InlineData(-0.7, -0.6778011938374184, 1.6778011938374184)]
    [InlineData(-2.2, -0.9981371537020182, 1.998137153702018)]
    [InlineData(-4.5, -0.9999999998033839, 1.999999999803384)]
    public void ErfAndErfc_MatchReference(double x, double erf, double erfc)
    {
        Assert.Equal(erf, SpecialFunctions.Erf(x), Tolerance);
        // Below x = 3 erfc is 1 − erf, so its error is absolute (about 1e-16); from 3 on it is relative.
        double erfcError = Math.Abs(SpecialFunctions.Erfc(x) - erfc);
        Assert.True(
            erfcError <= Math.Max(Tolerance * Math.Abs(erfc), 1e-15),
            $"erfc({x}) = {SpecialFunctions.Erfc(x):R}, expected {erfc:R}");
    }

    [Fact]
    public void NaN_Propagates()
    {
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
        Assert.True(double.IsNaN(SpecialFunctions.Erfc(double.NaN)));
    }

    [Fact]
    public void Infinity_GivesLimits()
    {
        Assert.Equal(1.0, SpecialFunctions.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, SpecialFunctions.Erf(double.NegativeInfinity));
        Assert.Equal(0.0, SpecialFunctions.Erfc(double.PositiveInfinity));
    }

    [Fact]
    public void NormalCdf_KeepsRelativeAccuracyInTheTail()
    {
        // Φ(−8) = erfc(8/√2)/2 ≈ 6.22e-16; computing it as 1 − Φ(8) would give 0.
        Assert.Equal(6.220960574271819e-16, SpecialFunctions.NormalCdf(-8), 1e-28);
    }
}
