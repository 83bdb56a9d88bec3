using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Layerwise.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Layerwise.Generators.Parsing;

/// <summary>Walks a network's attributes in source order and collects the layers, the options and their errors.</summary>
internal sealed class LayerReader
{
    private readonly string _typeName;
    private readonly List<Finding> _findings;
    private int _networkIndex = -1;
    private int _width;

    public LayerReader(string typeName, List<Finding> findings)
    {
        _typeName = typeName;
        _findings = findings;
    }

    public LossKind? Loss { get; private set; }

    public string ElementType { get; private set; } = "float";

    public double HuberDelta { get; private set; } = 1.0;

    public double LabelSmoothing { get; private set; }

    public TrainingModel? Training { get; private set; }

    public int InputIndex { get; private set; } = -1;

    public int InputSize { get; private set; }

    public List<LayerModel> Layers { get; } = new();

    public List<int> LayerwiseAttributeIndices { get; } = new();

    /// <summary>True when an attribute did not bind (the compiler reports it), so nothing is generated.</summary>
    public bool HasCompilerErrors { get; private set; }

    public void Read(AttributeData attribute, int index)
    {
        if (attribute.AttributeClass is null || attribute.AttributeClass.TypeKind == TypeKind.Error)
        {
            // An attribute that does not bind may be one of ours misspelled; the compiler reports it.
            HasCompilerErrors = true;
            return;
        }

        string? name = NetworkParser.GetLayerwiseAttributeName(attribute.AttributeClass);
        if (name is null)
        {
            return;
        }

        LayerwiseAttributeIndices.Add(index);
        if (name == "Network" && _networkIndex < 0)
        {
            _networkIndex = index;
        }

        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        if (attribute.AttributeConstructor is null || HasArgumentErrors(arguments) || HasNamedArgumentErrors(attribute))
        {
            HasCompilerErrors = true;
            return;
        }

        var options = new AttributeOptions(attribute, index, Display(name));
        switch (name)
        {
            case "Network":
                ReadNetwork(options);
                break;
            case "Input":
                ReadInput(options);
                break;
            case "Dense":
                ReadDense(options);
                break;
            case "Activation":
                ActivationModel function = ReadActivation(options, options.Int(0));
                if (function.Kind == ActivationKind.Softmax && _width == 1)
                {
                    _findings.Add(new Finding("LW0005", FindingTarget.Attribute(index), NetworkParser.Arguments(options.Display)));
                }

                AddLayer(new LayerModel(LayerKind.Activation, _width, index, function));
                break;
            case "LayerNorm":
                AddLayer(new LayerModel(LayerKind.LayerNorm, _width, index, ActivationModel.Identity, Epsilon: ReadEpsilon(options, 1e-5)));
                break;
            case "RMSNorm":
                AddLayer(new LayerModel(LayerKind.RMSNorm, _width, index, ActivationModel.Identity, Epsilon: ReadEpsilon(options, 1e-6)));
                break;
            case "BatchNorm":
                ReadBatchNorm(options);
                break;
            case "Dropout":
                ReadDropout(options);
                break;
            case "GaussianNoise":
                ReadGaussianNoise(options);
                break;
            case "Standardize":
                ReadStandardize(options);
                break;
            case "Residual":
                ReadResidual(options);
                break;
            case "Training":
                ReadTraining(options);
                break;
        }
    }

    public void Complete()
    {
        if (_networkIndex < 0 && LayerwiseAttributeIndices.Count > 0)
        {
            _findings.Add(new Finding("LW0012", FindingTarget.Attribute(LayerwiseAttributeIndices[0]), NetworkParser.Arguments(_typeName)));
            return;
        }

        if (HasCompilerErrors || _networkIndex < 0)
        {
            return;
        }

        if (InputIndex < 0)
        {
            _findings.Add(new Finding("LW0002", FindingTarget.TypeName, NetworkParser.Arguments(_typeName)));
            return;
        }

        if (Layers.Count == 0)
        {
            _findings.Add(new Finding("LW0009", FindingTarget.Attribute(InputIndex), NetworkParser.Arguments(_typeName)));
            return;
        }

        CheckOutputFitsLoss();
        CheckSizeLimits();
    }

    private string Display(string name) =>
        name is "Network" or "Input" or "Training"
            ? "[" + name + "]"
            : "Layer " + (Layers.Count + 1).ToString(CultureInfo.InvariantCulture) + " [" + name + "]";

    private void AddLayer(LayerModel layer)
    {
        Layers.Add(layer);
        _width = layer.Units;
    }

    private void ReadNetwork(AttributeOptions options)
    {
        if (Loss is not null)
        {
            // A second [Network] draws CS0579 from the compiler; reading its loss would only add noise.
            return;
        }

        int value = options.Int(0);
        if (!Enum.IsDefined(typeof(LossKind), value))
        {
            ReportUndefined(options.Index, value, "Loss", typeof(LossKind));
            return;
        }

        Loss = (LossKind)value;
        int precision = options.NamedInt("Precision", 0);
        if (precision is not (0 or 1))
        {
            ReportUndefined(options.Index, precision, "Precision", null, "Single, Double");
        }

        ElementType = precision == 1 ? "double" : "float";
        HuberDelta = options.NamedDouble("HuberDelta", 1.0);
        if (!(HuberDelta > 0 && IsFinite(HuberDelta)))
        {
            ReportOption(options, "HuberDelta", HuberDelta, "a positive finite number");
        }

        LabelSmoothing = options.NamedDouble("LabelSmoothing", 0);
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
        {
            ReportOption(options, "LabelSmoothing", LabelSmoothing, "in [0, 1)");
        }
        else if (LabelSmoothing > 0 && Loss != LossKind.CrossEntropy)
        {
            ReportOption(options, "LabelSmoothing", LabelSmoothing, "0 unless the loss is CrossEntropy");
        }
    }

    private void ReadTraining(AttributeOptions options)
    {
        int value = options.Int(0);
        if (!Enum.IsDefined(typeof(OptimizerKind), value))
        {
            ReportUndefined(options.Index, value, "OptimizerKind", typeof(OptimizerKind));
            return;
        }

        var optimizer = (OptimizerKind)value;
        double learningRate = options.NamedDouble("LearningRate", double.NaN);
        if (double.IsNaN(learningRate))
        {
            learningRate = TrainingModel.DefaultLearningRate(optimizer);
        }
        else if (!(learningRate > 0 && IsFinite(learningRate)))
        {
            ReportOption(options, "LearningRate", learningRate, "a positive finite number");
        }

        double momentum = options.NamedDouble("Momentum", 0);
        if (!(momentum >= 0 && momentum < 1))
        {
            ReportOption(options, "Momentum", momentum, "in [0, 1)");
        }

        int batchSize = options.NamedInt("BatchSize", 0);
        if (batchSize < 0)
        {
            ReportOption(options, "BatchSize", batchSize, "0 (the trainer's default) or positive");
        }

        int epochs = options.NamedInt("Epochs", 0);
        if (epochs < 0)
        {
            ReportOption(options, "Epochs", epochs, "0 (the trainer's default) or positive");
        }

        Training = new TrainingModel(optimizer, learningRate, momentum, batchSize == 0 ? 32 : batchSize, epochs == 0 ? 10 : epochs, options.Index);
    }

    private void ReadInput(AttributeOptions options)
    {
        if (InputIndex >= 0)
        {
            _findings.Add(new Finding("LW0008", FindingTarget.Attribute(options.Index), NetworkParser.Arguments(_typeName, "remove the duplicate [Input]")));
            return;
        }

        if (Layers.Count > 0)
        {
            _findings.Add(new Finding("LW0008", FindingTarget.Attribute(options.Index), NetworkParser.Arguments(_typeName, "move it above the first layer")));
        }

        InputIndex = options.Index;
        InputSize = options.Int(0);
        _width = InputSize;
        if (InputSize <= 0)
        {
            _findings.Add(new Finding(
                "LW0003",
                FindingTarget.Attribute(options.Index),
                NetworkParser.Arguments("[Input]", InputSize.ToString(CultureInfo.InvariantCulture))));
        }
    }

    private void ReadDense(AttributeOptions options)
    {
        int units = options.Int(0);
        if (units <= 0)
        {
            _findings.Add(new Finding(
                "LW0003", FindingTarget.Attribute(options.Index), NetworkParser.Arguments(options.Display, units.ToString(CultureInfo.InvariantCulture))));
        }

        ActivationModel activation = ReadActivation(options, options.Arguments.Length > 1 ? options.Int(1) : 0);
        if (activation.Kind == ActivationKind.Softmax && units == 1)
        {
            _findings.Add(new Finding("LW0005", FindingTarget.Attribute(options.Index), NetworkParser.Arguments(options.Display)));
        }

        int initializerValue = options.NamedInt("Initializer", 0);
        if (!Enum.IsDefined(typeof(InitializerKind), initializerValue))
        {
            ReportUndefined(options.Index, initializerValue, "Initializer", typeof(InitializerKind));
            initializerValue = 0;
        }

        var initializer = (InitializerKind)initializerValue;
        if (initializer == InitializerKind.Default)
        {
            initializer = activation.Kind switch
            {
                ActivationKind.ReLU or ActivationKind.LeakyReLU or ActivationKind.PReLU => InitializerKind.He,
                ActivationKind.SELU => InitializerKind.LeCun,
                _ => InitializerKind.Glorot,
            };
        }

        AddLayer(new LayerModel(
            LayerKind.Dense,
            units,
            options.Index,
            activation,
            HasBias: options.NamedBool("Bias", true),
            Initializer: initializer,
            Frozen: options.NamedBool("Frozen", false),
            InitializerDeclared: initializerValue != 0));
    }

    private ActivationModel ReadActivation(AttributeOptions options, int value)
    {
        if (!Enum.IsDefined(typeof(ActivationKind), value))
        {
            ReportUndefined(options.Index, value, "Activation", typeof(ActivationKind));
            return ActivationModel.Identity;
        }

        var kind = (ActivationKind)value;
        double alpha = options.NamedDouble("Alpha", double.NaN);
        if (double.IsNaN(alpha))
        {
            alpha = kind switch
            {
                ActivationKind.LeakyReLU => 0.01,
                ActivationKind.ELU => 1.0,
                _ => 0,
            };
        }
        else if (kind is not (ActivationKind.LeakyReLU or ActivationKind.ELU))
        {
            ReportOption(options, "Alpha", alpha, "left unset: only LeakyReLU and ELU take α");
        }
        else if (!IsFinite(alpha))
        {
            ReportOption(options, "Alpha", alpha, "a finite number");
        }

        bool approximate = options.NamedBool("Approximate", false);
        if (approximate && kind != ActivationKind.GELU)
        {
            ReportOption(options, "Approximate", "true", "false: only GELU has an approximation");
        }

        bool learnableBeta = options.NamedBool("LearnableBeta", false);
        if (learnableBeta && kind != ActivationKind.SiLU)
        {
            ReportOption(options, "LearnableBeta", "true", "false: only SiLU has β");
        }

        double adaptive = options.NamedDouble("AdaptiveSlope", 0);
        if (!(adaptive >= 0 && IsFinite(adaptive)))
        {
            ReportOption(options, "AdaptiveSlope", adaptive, "0 (off) or a positive finite scale n");
            adaptive = 0;
        }

        return new ActivationModel(
            kind,
            kind is ActivationKind.LeakyReLU or ActivationKind.ELU ? alpha : 0,
            approximate && kind == ActivationKind.GELU,
            learnableBeta && kind == ActivationKind.SiLU,
            adaptive);
    }

    private double ReadEpsilon(AttributeOptions options, double defaultValue)
    {
        double epsilon = options.NamedDouble("Epsilon", defaultValue);
        if (!(epsilon > 0 && IsFinite(epsilon)))
        {
            ReportOption(options, "Epsilon", epsilon, "a positive finite number");
        }

        return epsilon;
    }

    private void ReadBatchNorm(AttributeOptions options)
    {
        double momentum = options.NamedDouble("Momentum", 0.1);
        if (!(momentum > 0 && momentum <= 1))
        {
            ReportOption(options, "Momentum", momentum, "in (0, 1]");
        }

        AddLayer(new LayerModel(
            LayerKind.BatchNorm, _width, options.Index, ActivationModel.Identity, Epsilon: ReadEpsilon(options, 1e-5), Momentum: momentum));
    }

    private void ReadDropout(AttributeOptions options)
    {
        double rate = options.Double(0);
        if (!(rate >= 0 && rate < 1))
        {
            ReportOption(options, "the rate", rate, "in [0, 1)");
        }

        AddLayer(new LayerModel(LayerKind.Dropout, _width, options.Index, ActivationModel.Identity, Rate: rate));
    }

    private void ReadGaussianNoise(AttributeOptions options)
    {
        double deviation = options.Double(0);
        if (!(deviation >= 0 && IsFinite(deviation)))
        {
            ReportOption(options, "the standard deviation", deviation, "a finite number of 0 or more");
        }

        AddLayer(new LayerModel(LayerKind.GaussianNoise, _width, options.Index, ActivationModel.Identity, Rate: deviation));
    }

    private void ReadStandardize(AttributeOptions options)
    {
        if (Layers.Count > 0 || InputIndex < 0)
        {
            _findings.Add(new Finding("LW0015", FindingTarget.Attribute(options.Index), NetworkParser.Arguments(options.Display)));
        }

        AddLayer(new LayerModel(LayerKind.Standardize, _width, options.Index, ActivationModel.Identity));
    }

    private void ReadResidual(AttributeOptions options)
    {
        int from = options.Int(0);
        int number = Layers.Count + 1;
        string? problem = null;
        if (from < 0 || from >= number - 1)
        {
            problem = number <= 1
                ? "no layer precedes it"
                : $"only layers 0 to {number - 2} come before the layer it follows";
        }
        else
        {
            int sourceWidth = from == 0 ? InputSize : Layers[from - 1].Units;
            if (sourceWidth != _width)
            {
                problem = $"layer {from} has {sourceWidth} outputs but the layer before the connection has {_width}";
            }
        }

        if (problem is not null)
        {
            _findings.Add(new Finding(
                "LW0014",
                FindingTarget.Attribute(options.Index),
                NetworkParser.Arguments(options.Display, from.ToString(CultureInfo.InvariantCulture), problem)));
        }

        AddLayer(new LayerModel(LayerKind.Residual, _width, options.Index, ActivationModel.Identity, ResidualFrom: from));
    }

    private void CheckOutputFitsLoss()
    {
        if (Loss is not (LossKind.CrossEntropy or LossKind.BinaryCrossEntropy))
        {
            return;
        }

        ActivationKind required = Loss == LossKind.CrossEntropy ? ActivationKind.Softmax : ActivationKind.Sigmoid;
        LayerModel output = Layers[Layers.Count - 1];
        if (output.Kind == LayerKind.Dense && output.Activation.Kind == required && !output.Activation.HasAdaptiveSlope)
        {
            return;
        }

        string actual = output.Kind == LayerKind.Dense
            ? "Dense(" + output.Units.ToString(CultureInfo.InvariantCulture) + ", Activation." + output.Activation.Kind + ")"
                + (output.Activation.HasAdaptiveSlope ? " with an adaptive slope" : string.Empty)
            : "[" + output.Kind + "]";
        string fittingLoss = output.Kind == LayerKind.Dense && !output.Activation.HasAdaptiveSlope
            ? output.Activation.Kind switch
            {
                ActivationKind.Sigmoid => "Loss.BinaryCrossEntropy",
                ActivationKind.Softmax => "Loss.CrossEntropy",
                _ => "Loss.MeanSquaredError",
            }
            : "Loss.MeanSquaredError";
        // The code fixes read the activation to set on a Dense output and the loss to set on [Network].
        var properties = new List<FindingProperty> { new("Loss", fittingLoss.Substring("Loss.".Length)) };
        if (output.Kind == LayerKind.Dense && !output.Activation.HasAdaptiveSlope)
        {
            properties.Add(new FindingProperty("Activation", required.ToString()));
        }

        _findings.Add(new Finding(
            "LW0004",
            FindingTarget.Attribute(output.AttributeIndex),
            NetworkParser.Arguments(Loss.Value.ToString(), required.ToString(), actual, fittingLoss),
            new EquatableArray<FindingTarget>(new[] { FindingTarget.Attribute(_networkIndex) }),
            new EquatableArray<FindingProperty>(properties)));
    }

    private void CheckSizeLimits()
    {
        long parameters = 0;
        long record = 0;
        long width = InputSize;
        long widest = InputSize;
        foreach (LayerModel layer in Layers)
        {
            widest = Math.Max(widest, layer.Units);
            parameters += layer.Kind switch
            {
                LayerKind.Dense => (width + (layer.HasBias ? 1 : 0)) * layer.Units,
                LayerKind.LayerNorm or LayerKind.BatchNorm => 2L * layer.Units,
                LayerKind.RMSNorm => layer.Units,
                _ => 0,
            };
            parameters += layer.Activation.ParameterCount(layer.Units);
            record += 4L * layer.Units + 1;
            width = layer.Units;
        }

        // Per sample, training also keeps two gradient buffers as wide as the widest layer or the input.
        record += 2 * widest;
        long largest = Math.Max(parameters, record);
        if (largest > NetworkParser.MaxBufferLength)
        {
            _findings.Add(new Finding(
                "LW0011",
                FindingTarget.Attribute(_networkIndex),
                NetworkParser.Arguments(
                    _typeName,
                    largest.ToString(CultureInfo.InvariantCulture),
                    NetworkParser.MaxBufferLength.ToString(CultureInfo.InvariantCulture))));
        }
    }

    private void ReportUndefined(int index, int value, string enumName, Type? enumType, string? names = null) =>
        _findings.Add(new Finding(
            "LW0010",
            FindingTarget.Attribute(index),
            NetworkParser.Arguments(
                value.ToString(CultureInfo.InvariantCulture),
                enumName,
                names ?? string.Join(", ", Enum.GetNames(enumType!)))));

    private void ReportOption(AttributeOptions options, string option, double value, string requirement) =>
        ReportOption(options, option, value.ToString("R", CultureInfo.InvariantCulture), requirement);

    private void ReportOption(AttributeOptions options, string option, string value, string requirement) =>
        _findings.Add(new Finding(
            "LW0013",
            FindingTarget.Attribute(options.Index),
            NetworkParser.Arguments(options.Display, option, value, requirement)));

    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    private static bool HasArgumentErrors(ImmutableArray<TypedConstant> arguments)
    {
        foreach (TypedConstant argument in arguments)
        {
            if (argument.Kind == TypedConstantKind.Error || argument.Value is null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasNamedArgumentErrors(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Value.Kind == TypedConstantKind.Error || argument.Value.Value is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The arguments of one attribute, read as plain values.</summary>
    private sealed class AttributeOptions
    {
        private readonly AttributeData _attribute;

        public AttributeOptions(AttributeData attribute, int index, string display)
        {
            _attribute = attribute;
            Index = index;
            Display = display;
        }

        public int Index { get; }

        public string Display { get; }

        public ImmutableArray<TypedConstant> Arguments => _attribute.ConstructorArguments;

        public int Int(int position) => ToInt(Arguments[position].Value);

        public double Double(int position) => Convert.ToDouble(Arguments[position].Value, CultureInfo.InvariantCulture);

        public int NamedInt(string name, int defaultValue) =>
            TryGetNamed(name, out object? value) ? ToInt(value) : defaultValue;

        public double NamedDouble(string name, double defaultValue) =>
            TryGetNamed(name, out object? value) ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : defaultValue;

        public bool NamedBool(string name, bool defaultValue) =>
            TryGetNamed(name, out object? value) && value is bool flag ? flag : defaultValue;

        private bool TryGetNamed(string name, out object? value)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in _attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    value = argument.Value.Value;
                    return true;
                }
            }

            value = null;
            return false;
        }

        private static int ToInt(object? value) => value switch
        {
            int number => number,
            _ => Convert.ToInt32(value, CultureInfo.InvariantCulture),
        };
    }
}
