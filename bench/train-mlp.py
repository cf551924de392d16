"""PyTorch peer of bench/train-mlp.mjs: the same MLP, loss, optimizer, batch and step count on random data.

Protocol (one JSON object per line): prints {"ready": ..., "torch": version} once, then answers each request
{"steps", "batch", "threads", "lr", "momentum", "weight_decay"} with {"seconds", "cpu_seconds"} of the loop.
Run with Debian's /usr/bin/python3 (python3-torch 1.13 with OpenBLAS).
"""
import json
import sys
import time

import torch

LAYERS = [784, 512, 512, 512, 10]


def build():
    mods = []
    for i in range(1, len(LAYERS)):
        mods.append(torch.nn.Linear(LAYERS[i - 1], LAYERS[i]))
        if i < len(LAYERS) - 1:
            mods.append(torch.nn.ReLU())
    return torch.nn.Sequential(*mods)


def train(req, data):
    torch.set_num_threads(int(req["threads"]))
    steps, batch = int(req["steps"]), int(req["batch"])
    x, y = data(steps * batch)
    model = build()
    # Weight decay on weights only, as in the project's step.
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
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
    return time.perf_counter() - start, time.process_time() - cpu_start


def main():
    cache = {}

    def data(n):
        if n not in cache:
            g = torch.Generator().manual_seed(2)
            cache[n] = (torch.rand(n, LAYERS[0], generator=g), torch.randint(0, LAYERS[-1], (n,), generator=g))
        return cache[n]

    print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        seconds, cpu_seconds = train(req, data)
        print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds}), flush=True)


if __name__ == "__main__":
    main()
