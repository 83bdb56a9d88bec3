using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Numerics;
using nietras.SeparatedValues;

namespace Layerwise.Data;

/// <summary>
/// Reads numeric CSV files (one header row, comma separated) into a <see cref="Dataset{T}"/>. Files are
/// treated as untrusted: every malformed value raises an <see cref="InvalidDataException"/> that names the
/// file, the line and the column.
/// </summary>
/// <remarks>A path that ends in <c>.gz</c> is read as gzip-compressed CSV.</remarks>
public static class CsvDataset
{
    /// <summary>
    /// Reads a classification file whose last column is an integer class label in [0, classCount) and whose
    /// other columns are numeric features. Targets are one-hot rows of width <paramref name="classCount"/>.
    /// </summary>
    /// <param name="path">The CSV file, gzip-compressed if its name ends in <c>.gz</c>.</param>
    /// <param name="classCount">The number of classes; when null, the largest label + 1.</param>
    /// <param name="featureScale">Every feature is multiplied by this factor while reading (for example 1/16 for 0..16 pixels).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is empty, a row has the wrong number of columns, a value is not a finite number, a label is not a valid
    /// class index, or a <c>.gz</c> file is not valid gzip data.
    /// </exception>
    public static Dataset<T> ReadClassification<T>(string path, int? classCount = null, double featureScale = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (classCount is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "The class count must be positive.");
        }

        var features = new List<T>();
        var labels = new List<int>();
        int featureCount = ReadRows(path, features, labels, T.CreateChecked(featureScale));
        int classes = classCount ?? MaxLabel(labels) + 1;
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] >= classes)
            {
                throw new InvalidDataException(
                    $"{path}: line {i + 2}: label {labels[i]} is not below the class count {classes}.");
            }
        }

        return Dataset.FromLabels(features.ToArray(), featureCount, labels.ToArray(), classes);
    }

    private static int ReadRows<T>(string path, List<T> features, List<int> labels, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            SepReaderOptions options = Sep.New(',').Reader(options => options with { DisableColCountCheck = true });
            using Stream? decompressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(File.OpenRead(path), CompressionMode.Decompress)
                : null;
            using SepReader reader = decompressed is null ? options.FromFile(path) : options.From(decompressed);
            int columnCount = reader.Header.ColNames.Count;
            if (columnCount < 2)
            {
                throw new InvalidDataException(
                    $"{path}: line 1: expected a header with at least one feature column and a label column, but found {columnCount} column(s).");
            }

            int featureCount = columnCount - 1;
            foreach (SepReader.Row row in reader)
            {
                int line = row.LineNumberFrom;
                if (row.ColCount != columnCount)
                {
                    throw new InvalidDataException(
                        $"{path}: line {line}: expected {columnCount} columns as in the header, but found {row.ColCount}.");
                }

                for (int column = 0; column < featureCount; column++)
                {
                    ReadOnlySpan<char> text = row[column].Span;
                    if (!T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) || !T.IsFinite(value))
                    {
                        throw new InvalidDataException(
                            $"{path}: line {line}, column {column + 1} ('{reader.Header.ColNames[column]}'): expected a finite number, but found '{text.ToString()}'.");
                    }

                    features.Add(value * scale);
                }

                ReadOnlySpan<char> labelText = row[featureCount].Span;
                if (!int.TryParse(labelText, NumberStyles.None, CultureInfo.InvariantCulture, out int label))
                {
                    throw new InvalidDataException(
                        $"{path}: line {line}, column {columnCount} ('{reader.Header.ColNames[featureCount]}'): expected a class label (an integer 0 or more), but found '{labelText.ToString()}'.");
                }

                labels.Add(label);
            }

            if (labels.Count == 0)
            {
                throw new InvalidDataException($"{path}: the file has a header but no data rows.");
            }

            return featureCount;
        }
        catch (InvalidDataException exception) when (!exception.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // The gzip decoder raises this type for damaged data without naming the file.
            throw new InvalidDataException($"{path}: the file is not valid gzip data: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is not InvalidDataException and not IOException and not UnauthorizedAccessException)
        {
            // Sep raises its own exception types for malformed quoting; name the file for the user.
            throw new InvalidDataException($"{path}: the file is not valid CSV: {exception.Message}", exception);
        }
    }

    private static int MaxLabel(List<int> labels)
    {
        int max = 0;
        foreach (int label in labels)
        {
            max = Math.Max(max, label);
        }

        return max;
    }
}
