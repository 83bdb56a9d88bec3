using Layerwise;

namespace Digits;

/// <summary>
/// Classifies 8×8 images of handwritten digits (64 pixels scaled to [0, 1]) into the ten classes 0–9.
/// </summary>
[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(128, Activation.ReLU)]
[LayerNorm]
[Dense(64, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class DigitsNet;
