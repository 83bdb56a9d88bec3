namespace Layerwise;

/// <summary>The element type a network is generated in.</summary>
public enum Precision
{
    /// <summary>32-bit <see cref="float"/> parameters, inputs and outputs.</summary>
    Single = 0,

    /// <summary>64-bit <see cref="double"/> parameters, inputs and outputs.</summary>
    Double = 1,
}
