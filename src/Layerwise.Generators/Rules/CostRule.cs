using System.Collections.Generic;
using System.Globalization;
using Layerwise.Generators.Emitting;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;

namespace Layerwise.Generators.Rules;

/// <summary>LW2001 (information): the parameter count, multiply-adds and memory per sample of a network.</summary>
internal static class CostRule
{
    public static IEnumerable<Finding> Evaluate(NetworkModel model, int networkAttributeIndex)
    {
        NetworkCost cost = NetworkCost.Of(model);
        yield return new Finding(
            "LW2001",
            FindingTarget.Attribute(networkAttributeIndex),
            NetworkParser.Arguments(
                model.TypeName.TrimStart('@'),
                cost.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                cost.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture),
                cost.InferenceBytes.ToString("N0", CultureInfo.InvariantCulture),
                cost.TrainingBytes.ToString("N0", CultureInfo.InvariantCulture),
                cost.KernelLayers.ToString(CultureInfo.InvariantCulture),
                cost.DenseLayers.ToString(CultureInfo.InvariantCulture)));
    }
}
