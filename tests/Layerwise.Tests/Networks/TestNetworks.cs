using Layerwise;

namespace Layerwise.Tests.Networks;

// Small declared networks that together cover every activation in hidden and output position,
// LayerNorm (also as the first layer), every loss, and both the unrolled and the kernel path.

/// <summary>Tanh hidden layer, linear output, mean squared error; both layers unrolled.</summary>
[Network(Loss.MeanSquaredError)]
[Input(5)]
[Dense(7, Activation.Tanh)]
[Dense(3)]
public partial class RegressionNet;

/// <summary>Softmax output under mean squared error: the backward pass goes through the softmax Jacobian.</summary>
[Network(Loss.MeanSquaredError)]
[Input(4)]
[Dense(6, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxRegressionNet;

/// <summary>Sigmoid hidden layer, LayerNorm, sigmoid output under mean squared error.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Sigmoid)]
[LayerNorm]
[Dense(2, Activation.Sigmoid)]
public partial class SigmoidRegressionNet;

/// <summary>Cross-entropy classifier with ReLU, LayerNorm and tanh hidden layers on the kernel path.</summary>
[Network(Loss.CrossEntropy)]
[Input(12)]
[Dense(16, Activation.ReLU)]
[LayerNorm]
[Dense(9, Activation.Tanh)]
[Dense(4, Activation.Softmax)]
public partial class ClassifierNet;

/// <summary>Binary cross-entropy over three independent sigmoid outputs.</summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(4)]
[Dense(6, Activation.Sigmoid)]
[Dense(3, Activation.Sigmoid)]
public partial class MultiLabelNet;

/// <summary>LayerNorm applied to the inputs themselves, so its backward pass computes no input gradient.</summary>
[Network(Loss.MeanSquaredError)]
[Input(6)]
[LayerNorm]
[Dense(4, Activation.Identity)]
public partial class InputNormNet;

/// <summary>A hidden layer wide enough that the per-sample scratch leaves the stack for a per-thread array.</summary>
[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(8192, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class WideNet;

/// <summary>A network whose name is a C# keyword, nested in a record: the generated code escapes and nests it.</summary>
public partial record Container
{
    [Network(Loss.BinaryCrossEntropy)]
    [Input(2)]
    [Dense(3, Activation.ReLU)]
    [Dense(1, Activation.Sigmoid)]
    public partial class @event;
}
