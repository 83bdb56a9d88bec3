using System.Threading.Tasks;
using Layerwise.Generators.Diagnostics;
using Xunit;
using static Layerwise.Generators.Tests.Infrastructure.Verifiers;

namespace Layerwise.Generators.Tests.Analysis;

/// <summary>The LW0001 code fix adds <c>partial</c> where the diagnostic points, and Fix All does so for every class.</summary>
public sealed class AddPartialCodeFixTests
{
    [Fact]
    public Task NetworkClass_BecomesPartial()
    {
        const string source = """
            using Layerwise;

            namespace Samples;

            /// <summary>Predicts one value from two.</summary>
            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public sealed class {|#0:Net|}
            {
            }
            """;
        const string fixedSource = """
            using Layerwise;

            namespace Samples;

            /// <summary>Predicts one value from two.</summary>
            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public sealed partial class Net
            {
            }
            """;

        return CreateCodeFixTest(source, fixedSource, Diagnostic(DiagnosticDescriptors.NotPartial).WithArguments("Net")).RunAsync();
    }

    [Fact]
    public Task ClassWithoutModifiers_BecomesPartial()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            class {|#0:Net|};
            """;
        const string fixedSource = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            partial class Net;
            """;

        return CreateCodeFixTest(source, fixedSource, Diagnostic(DiagnosticDescriptors.NotPartial).WithArguments("Net")).RunAsync();
    }

    [Fact]
    public Task ContainingType_BecomesPartial()
    {
        const string source = """
            using Layerwise;

            public static class {|#0:Models|}
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class Net;
            }
            """;
        const string fixedSource = """
            using Layerwise;

            public static partial class Models
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class Net;
            }
            """;

        return CreateCodeFixTest(source, fixedSource, Diagnostic(DiagnosticDescriptors.NotPartial).WithArguments("Models")).RunAsync();
    }

    [Fact]
    public Task ClassAndContainingType_BothBecomePartial()
    {
        const string source = """
            using Layerwise;

            public class {|#0:Models|}
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public class {|#1:Net|}
                {
                }
            }
            """;
        const string fixedSource = """
            using Layerwise;

            public partial class Models
            {
                [Network(Loss.MeanSquaredError)]
                [Input(2)]
                [Dense(1)]
                public partial class Net
                {
                }
            }
            """;

        var test = CreateCodeFixTest(
            source,
            fixedSource,
            Diagnostic(DiagnosticDescriptors.NotPartial, location: 1).WithArguments("Net"),
            Diagnostic(DiagnosticDescriptors.NotPartial, location: 0).WithArguments("Models"));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }

    [Fact]
    public Task FixAll_MakesBothClassesPartial()
    {
        const string source = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public class {|#0:First|}
            {
            }

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(3, Activation.Softmax)]
            internal class {|#1:Second|}
            {
            }
            """;
        const string fixedSource = """
            using Layerwise;

            [Network(Loss.MeanSquaredError)]
            [Input(2)]
            [Dense(1)]
            public partial class First
            {
            }

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(3, Activation.Softmax)]
            internal partial class Second
            {
            }
            """;

        var test = CreateCodeFixTest(
            source,
            fixedSource,
            Diagnostic(DiagnosticDescriptors.NotPartial, location: 0).WithArguments("First"),
            Diagnostic(DiagnosticDescriptors.NotPartial, location: 1).WithArguments("Second"));

        // Fixing one diagnostic at a time takes two passes, but the batch Fix All provider fixes both in one.
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }
}
