using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharpBench;

/// <summary>
/// One Adam training step of a network in TorchSharp (learning rate 1e-3, cross-entropy): zero_grad, forward, loss,
/// backward and the optimizer's step. Random inputs are one batch of uniform values in [0, 1), with labels i mod the
/// class count. MNIST takes the batches of <c>data/mnist-train-1024.csv.gz</c> in turn.
/// </summary>
internal sealed class TorchSharpAdamStep : IDisposable
{
    private readonly Sequential _model;
    private readonly optim.Optimizer _optimizer;
    private readonly CrossEntropyLoss _loss = nn.CrossEntropyLoss();
    private readonly (Tensor Inputs, Tensor Labels)[] _batches;
    private int _turn;

    public TorchSharpAdamStep(long[] sizes, bool tanh, int batch, bool mnist)
    {
        random.manual_seed(1);
        _model = Program.BuildNetwork(sizes, tanh);
        _model.train();
        _optimizer = optim.Adam(_model.parameters(), lr: 1e-3);
        long classes = sizes[^1];
        _batches = mnist
            ? Program.ReadMnistBatches(batch)
            : [(rand(batch, sizes[0]), tensor(Enumerable.Range(0, batch).Select(i => i % classes).ToArray()))];
    }

    /// <summary>Runs one step on the next batch, disposing its intermediate tensors at once.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        (Tensor inputs, Tensor labels) = _batches[_turn];
        _turn = (_turn + 1) % _batches.Length;
        _optimizer.zero_grad();
        _loss.forward(_model.forward(inputs), labels).backward();
        _optimizer.step();
    }

    public void Dispose()
    {
        foreach ((Tensor inputs, Tensor labels) in _batches)
        {
            inputs.Dispose();
            labels.Dispose();
        }

        _optimizer.Dispose();
        _loss.Dispose();
        _model.Dispose();
    }
}
