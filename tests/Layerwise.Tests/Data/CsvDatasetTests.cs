using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Layerwise.Data;
using Xunit;

namespace Layerwise.Tests.Data;

public sealed class CsvDatasetTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "layerwise-csv-" + Guid.NewGuid().ToString("N"));

    public CsvDatasetTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static string DigitsPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv");

    [Fact]
    public void Digits_LoadsEveryRow()
    {
        Dataset<float> digits = CsvDataset.ReadClassification<float>(DigitsPath, classCount: 10);

        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.FeatureCount);
        Assert.Equal(10, digits.TargetCount);
        int[] counts = Enumerable.Range(0, 10).Select(c => digits.Labels.ToArray().Count(label => label == c)).ToArray();
        Assert.Equal(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, counts);
    }

    [Fact]
    public void Digits_ScalesFeaturesAndBuildsOneHotTargets()
    {
        Dataset<float> digits = CsvDataset.ReadClassification<float>(DigitsPath, featureScale: 1.0 / 16);

        Assert.Equal(10, digits.TargetCount);
        Assert.Equal(5f / 16, digits.GetFeatures(0)[2]);
        Assert.Equal(0, digits.Labels[0]);
        Assert.Equal(1f, digits.GetTargets(0)[0]);
        Assert.Equal(1f, digits.GetTargets(1).ToArray().Sum());
        float max = 0;
        foreach (float value in digits.Features)
        {
            max = Math.Max(max, value);
        }

        Assert.Equal(1f, max);
    }

    [Theory]
    [InlineData("a,b,label\n1,2,0\n3,x,1\n", "line 3, column 2 ('b'): expected a finite number, but found 'x'")]
    [InlineData("a,b,label\n1,2,0\n3,NaN,1\n", "line 3, column 2 ('b'): expected a finite number, but found 'NaN'")]
    [InlineData("a,b,label\n1,2,0\n3,4\n", "line 3: expected 3 columns as in the header, but found 2")]
    [InlineData("a,b,label\n1,2,-1\n", "line 2, column 3 ('label'): expected a class label (an integer 0 or more), but found '-1'")]
    [InlineData("a,b,label\n1,2,0.5\n", "found '0.5'")]
    [InlineData("a,b,label\n", "the file has a header but no data rows")]
    [InlineData("", "expected a header with at least one feature column and a label column")]
    [InlineData("label\n1\n", "expected a header with at least one feature column and a label column, but found 1 column(s)")]
    public void Malformed_NamesFileLineAndExpectation(string content, string expected)
    {
        string path = Write(content);

        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.ReadClassification<float>(path));

        Assert.StartsWith(path + ":", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void LabelAboveClassCount_Throws()
    {
        string path = Write("a,label\n1,0\n2,3\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.ReadClassification<float>(path, classCount: 3));

        Assert.Contains("line 3: label 3 is not below the class count 3", error.Message);
    }

    [Fact]
    public void MissingFile_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => CsvDataset.ReadClassification<float>(Path.Combine(_folder, "missing.csv")));
    }

    [Fact]
    public void Double_ReadsSameValues()
    {
        string path = Write("a,b,label\n0.1,2.5e-3,1\n");

        Dataset<double> data = CsvDataset.ReadClassification<double>(path);

        Assert.Equal(new[] { 0.1, 2.5e-3 }, data.GetFeatures(0).ToArray());
        Assert.Equal(new[] { 0.0, 1.0 }, data.GetTargets(0).ToArray());
    }

    [Fact]
    public void Gzip_ReadsSameRowsAsPlain()
    {
        const string content = "a,b,label\n0.5,1,2\n3,4.25,0\n";
        string plain = Write(content);
        string compressed = Path.Combine(_folder, "rows.csv.gz");
        using (var stream = new GZipStream(File.Create(compressed), CompressionLevel.Optimal))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        Dataset<float> expected = CsvDataset.ReadClassification<float>(plain);
        Dataset<float> actual = CsvDataset.ReadClassification<float>(compressed);

        Assert.Equal(expected.Features.ToArray(), actual.Features.ToArray());
        Assert.Equal(expected.Labels.ToArray(), actual.Labels.ToArray());
    }

    [Fact]
    public void Gzip_DamagedData_NamesFile()
    {
        string path = Path.Combine(_folder, "damaged.csv.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.ReadClassification<float>(path));

        Assert.StartsWith(path + ":", error.Message);
        Assert.Contains("not valid gzip data", error.Message);
    }

    [Fact]
    public void MnistExcerpt_LoadsEveryRow()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "mnist-train-1024.csv.gz");

        Dataset<float> mnist = CsvDataset.ReadClassification<float>(path, classCount: 10, featureScale: 1.0 / 255);

        Assert.Equal(1024, mnist.Count);
        Assert.Equal(784, mnist.FeatureCount);
        Assert.Equal(new[] { 5, 0, 4, 1, 9, 2, 1, 3, 1, 4 }, mnist.Labels[..10].ToArray());
        double zeros = mnist.Features.ToArray().Count(value => value == 0) / (double)mnist.Features.Length;
        Assert.InRange(zeros, 0.75, 0.85);
    }

    private string Write(string content)
    {
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, content);
        return path;
    }
}
