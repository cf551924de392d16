"""PyTorch peer of the training benchmarks (bench/train-mlp.mjs, train-mlp-tfjs.mjs, train-cnn.mjs): the same
network, loss, optimizer, batch and step count on random data. Networks: "mlp" (784-512-512-512-10, ReLU) and
"cnn" (the paper-cnn preset's VGG-style CNN: conv 3x3 32-32, max pool, conv 3x3 64-64, max pool, dense 256,
dense 10; ReLU), both with biases; SGD with momentum and weight decay on weights only, as the project's step.

Protocol (one JSON object per line): prints {"ready": ..., "torch": version, "mkldnn": bool} once, then answers
each request {"model", "steps", "batch", "threads", "lr", "momentum", "weight_decay"} with {"seconds",
"cpu_seconds"} of the loop. Run with Debian's /usr/bin/python3 (python3-torch 1.13 with OpenBLAS).
"""
import json
import sys
import time

import torch
from torch import nn

MLP_LAYERS = [784, 512, 512, 512, 10]
# Sample shape of each network's inputs; both have 10 classes.
SAMPLE_SHAPES = {"mlp": (784,), "cnn": (1, 28, 28)}


def build(model):
    if model == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 7 * 7, 256), nn.ReLU(), nn.Linear(256, 10),
        )
    mods = []
    for i in range(1, len(MLP_LAYERS)):
        mods.append(nn.Linear(MLP_LAYERS[i - 1], MLP_LAYERS[i]))
        if i < len(MLP_LAYERS) - 1:
            mods.append(nn.ReLU())
    return nn.Sequential(*mods)


def train(req, data):
    torch.set_num_threads(int(req["threads"]))
    steps, batch = int(req["steps"]), int(req["batch"])
    kind = req.get("model", "mlp")
    x, y = data(kind, steps * batch)
    model = build(kind)
    decay = [p for n, p in model.named_parameters() if n.endswith("weight")]
    rest = [p for n, p in model.named_parameters() if not n.endswith("weight")]
    opt = torch.optim.SGD(
        [{"params": decay, "weight_decay": req["weight_decay"]}, {"params": rest, "weight_decay": 0.0}],
        lr=req["lr"],
        momentum=req["momentum"],
    )
    start = time.perf_counter()
    cpu_start = time.process_time()
    for s in range(steps):
        xb = x[s * batch : (s + 1) * batch]
        yb = y[s * batch : (s + 1) * batch]
        opt.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
    return time.perf_counter() - start, time.process_time() - cpu_start


def main():
    cache = {}

    def data(kind, n):
        if (kind, n) not in cache:
            g = torch.Generator().manual_seed(2)
            cache[(kind, n)] = (torch.rand(n, *SAMPLE_SHAPES[kind], generator=g), torch.randint(0, 10, (n,), generator=g))
        return cache[(kind, n)]

    print(json.dumps({"ready": True, "torch": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        seconds, cpu_seconds = train(req, data)
        print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds}), flush=True)


if __name__ == "__main__":
    main()
