using System.Collections.Generic;
using System.Linq;
using Layerwise.Generators.Model;

namespace Layerwise.Generators.Rules;

/// <summary>Every design rule (LW1xxx) and the cost information (LW2001), as functions of a model and thresholds.</summary>
internal static class DesignRules
{
    /// <summary>Returns the findings of every rule for a declaration that parsed without errors.</summary>
    /// <param name="model">The parsed network.</param>
    /// <param name="options">Thresholds, from .editorconfig or the defaults.</param>
    /// <param name="networkAttributeIndex">The position of [Network] among the class's attributes, where network-wide findings point.</param>
    public static IEnumerable<Finding> Evaluate(NetworkModel model, RuleOptions options, int networkAttributeIndex) =>
        SaturatingStackRule.Evaluate(model, options)
            .Concat(OutputRules.Evaluate(model, networkAttributeIndex))
            .Concat(SequenceRules.Evaluate(model))
            .Concat(InitializerRule.Evaluate(model, options))
            .Concat(RegularizationRules.Evaluate(model, options))
            .Concat(TrainingRules.Evaluate(model, options))
            .Concat(CostRule.Evaluate(model, networkAttributeIndex));
}
