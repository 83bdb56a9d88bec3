using BenchmarkDotNet.Running;

// Runs the benchmarks chosen on the command line, for example:
//   dotnet run -c Release --project tests/Layerwise.Benchmarks -- --filter '*Inference*'
BenchmarkSwitcher.FromAssembly(typeof(Layerwise.Benchmarks.InferenceBenchmarks).Assembly).Run(args);
