"""PyTorch peer of bench/train-cnn.mjs: the VGG-style CNN of the paper-cnn preset (conv 3x3 32-32, max pool,
conv 3x3 64-64, max pool, dense 256, dense 10; ReLU; biases) with SGD (momentum, weight decay on weights), on
random 1x28x28 data, batch and step count as requested.

Protocol (one JSON object per line): prints {"ready": ..., "torch": version, "mkldnn": bool} once, then answers
each request {"steps", "batch", "threads", "lr", "momentum", "weight_decay"} with {"seconds", "cpu_seconds"}.
Run with Debian's /usr/bin/python3 (python3-torch 1.13).
"""
import json
import sys
import time

import torch
from torch import nn


def build():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 256), nn.ReLU(), nn.Linear(256, 10),
    )


def train(req, data):
    torch.set_num_threads(int(req["threads"]))
    steps, batch = int(req["steps"]), int(req["batch"])
    x, y = data(steps * batch)
    model = build()
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

    def data(n):
        if n not in cache:
            g = torch.Generator().manual_seed(2)
            cache[n] = (torch.rand(n, 1, 28, 28, generator=g), torch.randint(0, 10, (n,), generator=g))
        return cache[n]

    print(json.dumps({"ready": True, "torch": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        seconds, cpu_seconds = train(req, data)
        print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds}), flush=True)


if __name__ == "__main__":
    main()
