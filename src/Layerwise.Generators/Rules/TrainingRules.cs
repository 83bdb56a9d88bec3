using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;

namespace Layerwise.Generators.Rules;

/// <summary>
/// LW1012 and LW1013: a declared learning rate outside the optimizer's usable range (Adam, AdamW and RMSprop:
/// a warning above 1e-2 and below 1e-7, an error from 0.1; SGD: a warning above 1 and below 1e-7).
/// LW1014: a hidden layer narrower than the output. LW1015: a ReLU layer of two units or fewer.
/// </summary>
internal static class TrainingRules
{
    public static IEnumerable<Finding> Evaluate(NetworkModel model, RuleOptions options)
    {
        if (model.Training is { } training)
        {
            double rate = training.LearningRate;
            string value = rate.ToString("R", CultureInfo.InvariantCulture);
            string optimizer = training.Optimizer == OptimizerKind.Sgd ? "SGD" : training.Optimizer.ToString();
            string typical = training.Optimizer is OptimizerKind.Adam or OptimizerKind.AdamW ? "1e-3" : "0.01";
            if (training.IsAdaptive && rate >= options.AdaptiveLearningRateError)
            {
                yield return new Finding(
                    "LW1013",
                    FindingTarget.Attribute(training.AttributeIndex),
                    NetworkParser.Arguments(optimizer, value, Format(options.AdaptiveLearningRateError), typical));
            }
            else if (training.IsAdaptive && rate > options.AdaptiveLearningRateWarning)
            {
                yield return LearningRateWarning(training, optimizer, value, $"above {Format(options.AdaptiveLearningRateWarning)}, where adaptive steps of that size make training unstable", typical);
            }
            else if (!training.IsAdaptive && rate > options.SgdLearningRateWarning)
            {
                yield return LearningRateWarning(training, optimizer, value, $"above {Format(options.SgdLearningRateWarning)}, where SGD steps overshoot on almost any loss", "0.01 to 0.1");
            }
            else if (rate < options.MinLearningRate)
            {
                yield return LearningRateWarning(training, optimizer, value, $"below {Format(options.MinLearningRate)}, where the weights barely move", typical);
            }
        }

        var view = new NetworkView(model);
        int outputs = model.OutputSize;
        foreach (int index in view.HiddenDense())
        {
            LayerModel layer = view.Layers[index];
            if (layer.Units < outputs)
            {
                yield return new Finding(
                    "LW1014",
                    FindingTarget.Attribute(layer.AttributeIndex),
                    NetworkParser.Arguments(view.Name(index), layer.Units.ToString(CultureInfo.InvariantCulture), outputs.ToString(CultureInfo.InvariantCulture)));
            }

            if (view.EffectiveActivation(index) == ActivationKind.ReLU && layer.Units <= options.NarrowReLUUnits)
            {
                yield return new Finding(
                    "LW1015",
                    FindingTarget.Attribute(layer.AttributeIndex),
                    NetworkParser.Arguments(view.Name(index), layer.Units.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    private static Finding LearningRateWarning(TrainingModel training, string optimizer, string value, string problem, string typical) =>
        new("LW1012", FindingTarget.Attribute(training.AttributeIndex), NetworkParser.Arguments(optimizer, value, problem, typical));

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
