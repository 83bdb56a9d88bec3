using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Layerwise.Generators.Model;
using Layerwise.Generators.Parsing;

namespace Layerwise.Generators.Rules;

/// <summary>
/// LW1001: consecutive hidden Sigmoid or Tanh layers (three and five by default) with no normalization or
/// residual connection between them. Dropout and noise do not break a run; an activation is counted on the
/// Dense layer it follows. The output layer does not count: its activation is chosen by the loss.
/// </summary>
internal static class SaturatingStackRule
{
    /// <summary>Returns one finding per run long enough to report, pointing at the run's first layer.</summary>
    /// <remarks>
    /// The finding's additional targets are every layer of the run that carries the activation, in order, so
    /// the code fixes can switch each one or insert [LayerNorm] after each but the last; its property
    /// "Activation" names the saturating function.
    /// </remarks>
    public static IEnumerable<Finding> Evaluate(NetworkModel model, RuleOptions options)
    {
        var view = new NetworkView(model);
        var run = new List<int>();
        ActivationKind runKind = ActivationKind.Identity;
        int end = view.OutputDense < 0 ? view.Layers.Count - 1 : view.OutputDense;
        for (int i = 0; i < end; i++)
        {
            LayerModel layer = view.Layers[i];
            ActivationKind kind = layer.Activation.Kind;
            switch (layer.Kind)
            {
                case LayerKind.Dense when kind == ActivationKind.Identity:
                case LayerKind.Dropout:
                case LayerKind.GaussianNoise:
                    continue;
                case LayerKind.Dense:
                case LayerKind.Activation:
                    if (kind is ActivationKind.Sigmoid or ActivationKind.Tanh)
                    {
                        if (kind != runKind)
                        {
                            foreach (Finding finding in Report(run, runKind, options))
                            {
                                yield return finding;
                            }

                            run.Clear();
                            runKind = kind;
                        }

                        run.Add(i);
                        continue;
                    }

                    break;
            }

            foreach (Finding finding in Report(run, runKind, options))
            {
                yield return finding;
            }

            run.Clear();
            runKind = ActivationKind.Identity;
        }

        foreach (Finding finding in Report(run, runKind, options))
        {
            yield return finding;
        }

        IEnumerable<Finding> Report(List<int> members, ActivationKind activation, RuleOptions thresholds)
        {
            int threshold = activation == ActivationKind.Sigmoid ? thresholds.SigmoidStackLayers : thresholds.TanhStackLayers;
            if (members.Count == 0 || members.Count < threshold)
            {
                yield break;
            }

            string reason = activation == ActivationKind.Sigmoid
                ? members.Count >= thresholds.StrongSigmoidStackLayers
                    ? $"the sigmoid derivative is at most 0.25, so these {members.Count} activations alone scale the gradient by at most {Factor(members.Count)} and the first layers will barely learn"
                    : "the sigmoid derivative is at most 0.25, so each layer's activation scales the gradient by 0.25 or less"
                : "tanh saturates for large inputs, where its derivative falls toward zero";
            int[] targets = members.ToArray();
            yield return new Finding(
                "LW1001",
                FindingTarget.Attribute(model.Layers[targets[0]].AttributeIndex),
                NetworkParser.Arguments(
                    targets.Length.ToString(CultureInfo.InvariantCulture),
                    activation.ToString(),
                    "layer " + (targets[0] + 1).ToString(CultureInfo.InvariantCulture),
                    "layer " + (targets[targets.Length - 1] + 1).ToString(CultureInfo.InvariantCulture),
                    reason),
                new EquatableArray<FindingTarget>(targets.Select(index => FindingTarget.Attribute(model.Layers[index].AttributeIndex))),
                new EquatableArray<FindingProperty>(new[] { new FindingProperty("Activation", activation.ToString()) }));
        }
    }

    private static string Factor(int layers)
    {
        double factor = 1;
        for (int i = 0; i < layers; i++)
        {
            factor *= 0.25;
        }

        return factor.ToString("0.#####E+0", CultureInfo.InvariantCulture);
    }
}
