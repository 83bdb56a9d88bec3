namespace Layerwise;

/// <summary>
/// Sizes at which the batch kernels change form or split across cores. This one file is compiled into both the
/// runtime (which acts on them) and the generator (whose class remarks describe each layer's path), so the remarks
/// follow the kernels.
/// </summary>
internal static class ProductThresholds
{
    /// <summary>Layers with fewer inputs than this take the forward product in the broadcast form at any batch size.</summary>
    public const int BroadcastForwardInputs = 128;

    /// <summary>From this many rows, wider layers take the broadcast forward form too, up to <see cref="BroadcastForwardWeights"/>.</summary>
    public const int BroadcastForwardBatch = 256;

    /// <summary>The largest W, in values, whose transposed copy the wide-layer forward product uses.</summary>
    public const long BroadcastForwardWeights = 1L << 19;

    /// <summary>
    /// The largest W, in values, of a layer whose products may skip zero inputs (32 MiB of floats for the transposed
    /// copy they read). Unlike the dense broadcast form, the kept steps read a panel of the copy at a time whatever the
    /// width, so they stayed faster than the dense products on wide layers. On one core, 784 → 9000 at 256 MNIST rows
    /// took 22.9 ms forward against 44.0, and 22.6 ms for the weight gradient against 36.3.
    /// </summary>
    public const long SkipZeroInputsWeights = 1L << 23;

    /// <summary>From this many samples, the generated batch Forward runs the batch matrix kernels instead of one sample at a time.</summary>
    public const int BatchInferenceRows = 16;

    /// <summary>The maximum number of samples the generated batch Forward passes through the layers at once.</summary>
    public const int BatchInferenceChunk = 256;

    /// <summary>
    /// The maximum number of values that all layers' outputs take in one chunk of the generated batch Forward (4 MiB of
    /// floats). Wide networks take shorter chunks to stay within it.
    /// </summary>
    public const int BatchInferenceValues = 1 << 20;

    /// <summary>The rows of one block of the broadcast-form products, and the quantum in which threads share their rows.</summary>
    public const int BroadcastRowBlock = 6;

    /// <summary>The minimum number of multiply-adds in each thread's share before a product splits.</summary>
    public const long MinimumMultiplyAddsPerThread = 1L << 20;
}
