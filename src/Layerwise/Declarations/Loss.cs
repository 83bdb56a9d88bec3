namespace Layerwise;

/// <summary>
/// The loss a network is trained on. Reductions follow PyTorch's defaults.
/// </summary>
/// <remarks>
/// The numeric values are part of the contract between the runtime and the source generator: never
/// renumber a member.
/// </remarks>
public enum Loss
{
    /// <summary>
    /// Mean of (output − target)² over batch × outputs. Works after any output activation.
    /// PyTorch: <c>nn.MSELoss()</c>.
    /// </summary>
    MeanSquaredError = 0,

    /// <summary>
    /// −Σₖ targetₖ · log softmax(logits)ₖ, averaged over the batch. Requires a <see cref="Activation.Softmax"/>
    /// output layer; the generator fuses the two and differentiates from the logits.
    /// PyTorch: <c>nn.CrossEntropyLoss()</c> applied to the logits.
    /// </summary>
    CrossEntropy = 1,

    /// <summary>
    /// −[t · log σ(z) + (1 − t) · log(1 − σ(z))], averaged over batch × outputs. Requires a
    /// <see cref="Activation.Sigmoid"/> output layer; the generator fuses the two and evaluates the loss
    /// from the logits z. PyTorch: <c>nn.BCEWithLogitsLoss()</c> applied to the logits.
    /// </summary>
    BinaryCrossEntropy = 2,

    /// <summary>Mean of |output − target| over batch × outputs. PyTorch: <c>nn.L1Loss()</c>.</summary>
    MeanAbsoluteError = 3,

    /// <summary>
    /// Mean over batch × outputs of ½d² when |d| ≤ δ and δ·(|d| − ½δ) otherwise, with d = output − target
    /// and δ from <see cref="NetworkAttribute.HuberDelta"/>. PyTorch: <c>nn.HuberLoss(delta=δ)</c>.
    /// </summary>
    Huber = 4,
}
