using Layerwise;

namespace Layerwise.Benchmarks;

/// <summary>Network A: 4-16-16-3 with tanh, a small tabular classifier.</summary>
[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class NetworkA;

/// <summary>Network B: 64-128-64-10 with ReLU, the digits classifier size.</summary>
[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(128, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class NetworkB;

/// <summary>Network C: 784-256-128-10 with ReLU, an MNIST classifier.</summary>
[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class NetworkC;
