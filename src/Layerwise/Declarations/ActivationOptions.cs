namespace Layerwise;

// The named arguments below are shared by [Dense] and [Activation]; the generator reads them by name.

/// <summary>Options of the activation function that [Dense] and [Activation] share.</summary>
public interface IActivationOptions
{
    /// <summary>
    /// α of <see cref="Activation.LeakyReLU"/> (default 0.01) or <see cref="Activation.ELU"/> (default 1);
    /// NaN selects the default.
    /// </summary>
    double Alpha { get; set; }

    /// <summary>Uses the tanh approximation of <see cref="Activation.GELU"/> instead of the exact erf form.</summary>
    bool Approximate { get; set; }

    /// <summary>Makes β of <see cref="Activation.SiLU"/> a learned value (one per layer, starting at 1).</summary>
    bool LearnableBeta { get; set; }

    /// <summary>
    /// n &gt; 0 turns the activation into f(n·a·x) with one learned slope a per layer starting at 1/n (Jagtap et
    /// al., 2020); 0 turns it off. Default 0.
    /// </summary>
    double AdaptiveSlope { get; set; }
}
