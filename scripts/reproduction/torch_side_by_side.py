#!/usr/bin/python3
"""The reproduction's experiment in plain PyTorch, independent of the toolkit, for a side-by-side comparison
(docs/reproduction.md, "PyTorch side by side").

Same data (the exact subset a trial trains on, written by export-trial-data.ts), same architecture, same
SGD (torch.optim.SGD with momentum, coupled weight decay λ on the weights only, biases undecayed), same
schedule (lr held until --cosine-start, then a cosine to 0 at the last step, set per step), same batch size with
the last partial batch dropped. Initialization: --init he (kaiming_normal_, fan_in, relu gain, on every layer
including the classifier, biases 0 — the toolkit's default) or --init torch (PyTorch's own default). The
batch order and the initial values come from torch's generator, so runs match the toolkit's in distribution,
not sample for sample.

After training, per layer (conv kernels read as C_out × C_in·k·k): singular values in float64, the numerical
rank (σ_j > 1e-3·σ_1), τ_K/‖W‖_F, and ‖R‖_F/‖W‖_F with R = W + G/λ, G the full-batch gradient of the mean
cross-entropy over the training set. One JSON object per (λ, seed, layer) on stdout or in --out.

    /usr/bin/python3 scripts/reproduction/torch_side_by_side.py --data /tmp/mnist-subset --arch mlp \
        --hidden 256 256 256 --epochs 200 --lr 0.1 --cosine-start 100 --lambdas 1e-4 3.16e-4 1e-3 3.16e-3 1e-2 \
        --seeds 0 1 2 --out runs/torch-mlp.jsonl
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load(data_dir):
    meta = json.load(open(os.path.join(data_dir, 'meta.json')))
    shape = meta['sampleShape']

    def split(name, n):
        x = np.fromfile(os.path.join(data_dir, f'{name}-x.f32'), dtype='<f4').reshape([n, *shape])
        y = np.fromfile(os.path.join(data_dir, f'{name}-y.i32'), dtype='<i4').astype(np.int64)
        return torch.from_numpy(x.copy()), torch.from_numpy(y)

    return split('train', meta['train']), split('test', meta['test']), meta['numClasses'], shape


class Mlp(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x


class Cnn(nn.Module):
    """VGG-style: per block 3×3 convs (padding 1) + ReLU, then 2×2 max pooling; flatten; dense + ReLU; classifier."""

    def __init__(self, in_shape, blocks, hidden, classes):
        super().__init__()
        if len(in_shape) == 1:  # flat pixels (the toolkit's default layout): one square channel
            side = int(round(math.sqrt(in_shape[0])))
            in_shape = [1, side, side]
        self.in_shape = list(in_shape)
        c, h, w = in_shape
        self.convs = nn.ModuleList()
        self.block_ends = []
        for block in blocks:
            for out in block:
                self.convs.append(nn.Conv2d(c, out, 3, padding=1))
                c = out
            self.block_ends.append(len(self.convs) - 1)
            h, w = h // 2, w // 2
        sizes = [c * h * w, *hidden, classes]
        self.dense = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def forward(self, x):
        x = x.reshape(x.shape[0], *self.in_shape)
        for i, conv in enumerate(self.convs):
            x = F.relu(conv(x))
            if i in self.block_ends:
                x = F.max_pool2d(x, 2)
        x = x.flatten(1)
        for i, layer in enumerate(self.dense):
            x = layer(x)
            if i < len(self.dense) - 1:
                x = F.relu(x)
        return x


def weight_layers(model):
    """(name, module) of every Linear/Conv2d in the toolkit's order and naming (conv{k}, dense{l})."""
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    denses = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return [(f'conv{i + 1}', m) for i, m in enumerate(convs)] + [(f'dense{i + 1}', m) for i, m in enumerate(denses)]


def initialize(model, scheme):
    if scheme == 'torch':
        return
    for _, m in weight_layers(model):
        nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')
        nn.init.zeros_(m.bias)


def learning_rate(step, steps_per_epoch, epochs, lr, cosine_start):
    begin = round(cosine_start * steps_per_epoch)
    end = epochs * steps_per_epoch
    if step < begin:
        return lr
    t = min(step - begin, max(1, end - begin))
    return lr * (1 + math.cos(math.pi * t / max(1, end - begin))) / 2


def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(y), batch):
            correct += (model(x[s:s + batch]).argmax(1) == y[s:s + batch]).sum().item()
    return correct / len(y)


def full_batch_gradient(model, x, y, batch=1000):
    """G = ∇_W (1/N) Σ ℓ_i of every weight (no weight decay), accumulated over batches."""
    model.zero_grad()
    n = len(y)
    for s in range(0, n, batch):
        loss = F.cross_entropy(model(x[s:s + batch]), y[s:s + batch], reduction='sum') / n
        loss.backward()
    return {name: m.weight.grad.detach().double().reshape(m.weight.shape[0], -1).clone() for name, m in weight_layers(model)}


def run(args, train, test, classes, shape, lam, seed):
    torch.manual_seed(seed)
    if args.arch == 'mlp':
        model = Mlp([int(np.prod(shape)), *args.hidden, classes])
    else:
        model = Cnn(shape, [[c] for c in args.channels], args.hidden, classes)
    initialize(model, args.init)
    weights = [m.weight for _, m in weight_layers(model)]
    biases = [m.bias for _, m in weight_layers(model)]
    optimizer = torch.optim.SGD([{'params': weights, 'weight_decay': lam}, {'params': biases, 'weight_decay': 0.0}], lr=args.lr, momentum=0.9)
    x, y = train
    n = len(y)
    steps_per_epoch = n // args.batch
    generator = torch.Generator().manual_seed(seed)
    step = 0
    began = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(n, generator=generator)
        for b in range(steps_per_epoch):
            index = order[b * args.batch:(b + 1) * args.batch]
            for group in optimizer.param_groups:
                group['lr'] = learning_rate(step, steps_per_epoch, args.epochs, args.lr, args.cosine_start)
            optimizer.zero_grad()
            F.cross_entropy(model(x[index]), y[index]).backward()
            optimizer.step()
            step += 1
    seconds = time.time() - began
    train_accuracy, test_accuracy = accuracy(model, *train), accuracy(model, *test)
    gradients = full_batch_gradient(model, x, y)
    rows = []
    for name, m in weight_layers(model):
        W = m.weight.detach().double().reshape(m.weight.shape[0], -1)
        sigma = torch.linalg.svdvals(W)
        norm = float(torch.linalg.norm(W))
        tail = float(torch.sqrt(torch.sum(sigma[classes:] ** 2)))
        R = W + gradients[name] / lam
        rows.append({
            'framework': 'pytorch', 'arch': args.arch, 'init': args.init, 'weightDecay': lam, 'seed': seed, 'layer': name,
            'rows': W.shape[0], 'cols': W.shape[1], 'numericalRank': int(torch.sum(sigma > 1e-3 * sigma[0])),
            'relativeTailK': tail / norm, 'frobeniusNorm': norm, 'relativeNormR': float(torch.linalg.norm(R)) / norm,
            'trainAccuracy': train_accuracy, 'testAccuracy': test_accuracy, 'trainSeconds': seconds,
        })
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data', required=True, help='folder written by export-trial-data.ts')
    parser.add_argument('--arch', choices=['mlp', 'cnn'], default='mlp')
    parser.add_argument('--hidden', type=int, nargs='*', default=[256, 256, 256])
    parser.add_argument('--channels', type=int, nargs='*', default=[16, 32], help='cnn: one conv per block, these widths')
    parser.add_argument('--epochs', type=int, default=200)
    parser.add_argument('--batch', type=int, default=128)
    parser.add_argument('--lr', type=float, default=0.1)
    parser.add_argument('--cosine-start', type=float, default=100)
    parser.add_argument('--init', choices=['he', 'torch'], default='he')
    parser.add_argument('--lambdas', type=float, nargs='+', required=True)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--out', help='JSON lines file (appended); default stdout')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train, test, classes, shape = load(args.data)
    for lam in args.lambdas:
        for seed in args.seeds:
            rows = run(args, train, test, classes, shape, lam, seed)
            text = ''.join(json.dumps(r) + '\n' for r in rows)
            if args.out:
                with open(args.out, 'a') as f:
                    f.write(text)
            else:
                print(text, end='', flush=True)
            print(f'λ={lam} seed={seed}: train {rows[0]["trainAccuracy"]:.4f} test {rows[0]["testAccuracy"]:.4f} '
                  f'ranks {[r["numericalRank"] for r in rows]} in {rows[0]["trainSeconds"]:.0f} s', flush=True, file=__import__('sys').stderr)


if __name__ == '__main__':
    main()
