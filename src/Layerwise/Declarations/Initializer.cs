namespace Layerwise;

/// <summary>How a dense layer's weights are drawn when the network is constructed; biases always start at zero.</summary>
public enum Initializer
{
    /// <summary>He normal before ReLU, LeakyReLU and PReLU; LeCun normal before SELU; Glorot uniform otherwise.</summary>
    Default = 0,

    /// <summary>Normal with standard deviation √(2 / inputs) (He et al., 2015).</summary>
    He = 1,

    /// <summary>Uniform on ±√(6 / (inputs + units)) (Glorot and Bengio, 2010).</summary>
    Glorot = 2,

    /// <summary>Normal with standard deviation √(1 / inputs) (LeCun et al., 1998), the scale SELU assumes.</summary>
    LeCun = 3,
}
