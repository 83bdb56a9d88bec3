using Layerwise;

namespace Layerwise.Tests.Networks;

// Double-precision networks that together use every activation, layer, option and loss of the catalog,
// so finite differences of their own loss can check their gradients to about 1e-7.

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(6, Activation.LeakyReLU, Alpha = 0.2)]
[Dense(6, Activation.ELU, Alpha = 0.7)]
[Dense(5, Activation.SELU)]
[Dense(3)]
public partial class ExponentialActivationsNet;

[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(6, Activation.GELU)]
[Dense(6, Activation.GELU, Approximate = true)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Sigmoid)]
public partial class SmoothActivationsNet;

[Network(Loss.CrossEntropy, Precision = Precision.Double, LabelSmoothing = 0.1)]
[Input(3)]
[Dense(6, Activation.PReLU)]
[Dense(5, Activation.SiLU, LearnableBeta = true)]
[Dense(4, Activation.SiLU)]
[Dense(3, Activation.Softmax)]
public partial class LearnedActivationsNet;

[Network(Loss.Huber, Precision = Precision.Double, HuberDelta = 0.5)]
[Input(3)]
[Dense(5, Activation.Tanh, AdaptiveSlope = 10)]
[Dense(5, Activation.ReLU, AdaptiveSlope = 2)]
[Dense(4, Activation.GELU, AdaptiveSlope = 5)]
[Dense(4, Activation.PReLU, AdaptiveSlope = 3)]
[Dense(3, Activation.Identity, AdaptiveSlope = 4)]
[Activation(Activation.Softmax, AdaptiveSlope = 2)]
public partial class AdaptiveSlopeNet;

[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(5)]
[Dense(6, Activation.Identity, Bias = false)]
[BatchNorm]
[Activation(Activation.ReLU)]
[Dense(6)]
[RMSNorm]
[Dense(2)]
public partial class NormalizationNet;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(4)]
[GaussianNoise(0.3)]
[Dense(8, Activation.Tanh)]
[Dropout(0.3)]
[Dense(8, Activation.Sigmoid)]
[Residual(2)]
[Activation(Activation.Softplus, AdaptiveSlope = 3)]
[Dense(3, Activation.Softmax)]
public partial class RegularizedNet;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(4)]
[Standardize]
[Dense(4, Activation.Tanh)]
[Residual(1)]
[LayerNorm(Epsilon = 1e-3)]
[Dense(2, Activation.Softmax)]
public partial class StandardizedResidualNet;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Tanh, Frozen = true)]
[Dense(3, Activation.ReLU, Bias = false, Initializer = Initializer.LeCun)]
[Dense(2)]
public partial class FrozenLayerNet;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(4, Activation.Tanh)]
[Residual(0)]
[Activation(Activation.Sigmoid)]
[Dense(2, Activation.Identity)]
public partial class InputResidualNet;
