using System;

namespace Layerwise;

/// <summary>Declares the number of input features of a network; it must be the first layer attribute.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares <paramref name="size"/> input features.</summary>
    /// <param name="size">The number of features of one sample; must be positive.</param>
    public InputAttribute(int size) => Size = size;

    /// <summary>The number of features of one sample.</summary>
    public int Size { get; }
}
