"""PyTorch peer of bench/probe-mlp.mjs: forward passes of the MLP returning every layer's input and
pre-activation (as the collapse analysis taps them), on random data, in batches, no gradients.

Protocol: prints {"ready": ..., "torch": version} once, then answers each request {"samples", "batch",
"threads"} with {"seconds": time of the probing loop}. Run with /usr/bin/python3 (python3-torch 1.13).
"""
import json
import sys
import time

import torch

LAYERS = [784, 512, 512, 512, 10]


def main():
    torch.manual_seed(0)
    linears = [torch.nn.Linear(LAYERS[i - 1], LAYERS[i]) for i in range(1, len(LAYERS))]
    cache = {}
    print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        torch.set_num_threads(int(req["threads"]))
        samples, batch = int(req["samples"]), int(req["batch"])
        if samples not in cache:
            cache[samples] = torch.rand(samples, LAYERS[0], generator=torch.Generator().manual_seed(2))
        x = cache[samples]
        start = time.perf_counter()
        with torch.no_grad():
            for s in range(0, samples, batch):
                h = x[s : s + batch]
                taps = []
                for i, layer in enumerate(linears):
                    z = layer(h)
                    taps.append((h, z))
                    h = torch.relu(z) if i < len(linears) - 1 else z
                # Taps leave the network as host arrays, as the project's probe downloads them.
                for h_in, z in taps:
                    h_in.numpy()
                    z.numpy()
        print(json.dumps({"seconds": time.perf_counter() - start}), flush=True)


if __name__ == "__main__":
    main()
