using System.Text;

namespace Layerwise.Generators.Emitting;

/// <summary>Builds indented C# source, one line at a time.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _depth;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            for (int i = 0; i < _depth; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(text);
        }

        _builder.Append('\n');
    }

    /// <summary>Writes each line of a fixed block at the current depth.</summary>
    public void Lines(string block)
    {
        foreach (string line in block.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            Line(line);
        }
    }

    public void OpenBrace()
    {
        Line("{");
        _depth++;
    }

    public void CloseBrace(string suffix = "")
    {
        _depth--;
        Line("}" + suffix);
    }

    public override string ToString() => _builder.ToString();
}
