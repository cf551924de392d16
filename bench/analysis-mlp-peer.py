"""Peer of bench/analysis-mlp.mjs: the PyTorch script a researcher would write for the same analysis of the
MNIST MLP 784-512-512-512-10 on 60k samples — per-layer inputs and per-sample backward signals (autograd of the
summed loss w.r.t. the pre-activations), class means, TCV, NC1 (Σ_B pseudo-inverse), trace ratio, the data
gradient, singular values (float64) and the certificate norms ‖E‖, ‖R‖, ‖W P⊥‖. Everything in memory at once
(what such a script does). Protocol: prints {"ready": ...}, then for each request line {"seed": s} prints
{"seconds": t}. Run with /usr/bin/python3 (Debian python3-torch + OpenBLAS)."""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
N, K, widths, lam = 60000, 10, [784, 512, 512, 512, 10], 5e-4


def collapse(h, y):
    counts = torch.bincount(y, minlength=K).to(h.dtype)
    sums = torch.zeros(K, h.shape[1], dtype=h.dtype).index_add_(0, y, h)
    means = sums / counts[:, None]
    dev = h - means[y]
    tcv = dev.norm(dim=1).sum()
    g = h.mean(0)
    centered = means - g
    sigma_b = centered.T @ centered / K
    sigma_w_trace = (dev * dev).sum() / h.shape[0]
    evals, evecs = torch.linalg.eigh(sigma_b.double())
    top = evecs[:, -(K - 1):]
    proj = (dev.double() @ top) / evals[-(K - 1):].sqrt()
    nc1 = (proj * proj).sum() / h.shape[0] / K
    return {"tcv": tcv.item(), "nc1": nc1.item(), "ratio": (sigma_w_trace / torch.trace(sigma_b)).item(), "means": means, "counts": counts}


def analyze(seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(N, 784, generator=g)
    y = torch.randint(0, K, (N,), generator=g)
    Ws = [torch.randn(widths[i + 1], widths[i], generator=g) * (2 / widths[i]) ** 0.5 for i in range(4)]
    bs = [torch.zeros(widths[i + 1]) for i in range(4)]
    t0 = time.perf_counter()
    # per-sample δ: gradients of the summed loss w.r.t. each pre-activation z (retained by autograd)
    for W in Ws:
        W.requires_grad_(True)
    hs, zs = [], []
    h = x
    for i in range(4):
        hs.append(h.detach())
        z = h @ Ws[i].T + bs[i]
        z.retain_grad()
        zs.append(z)
        h = torch.relu(z) if i < 3 else z
    loss = torch.nn.functional.cross_entropy(h, y, reduction="sum")
    loss.backward()
    rows = []
    for i in range(4):
        delta = zs[i].grad
        hi = hs[i]
        ci = collapse(hi, y)
        cd = collapse(delta, y)
        G = (delta.T @ hi / N).double()
        W = Ws[i].detach().double()
        s = torch.linalg.svdvals(W)
        tail = s[K:].pow(2).sum().sqrt()
        S = torch.zeros(K, delta.shape[1], dtype=delta.dtype).index_add_(0, y, delta).double()
        A = -(S.T @ ci["means"].double()) / (lam * N)
        E = -(G - S.T @ ci["means"].double() / N) / lam
        R = W + G / lam
        Q, _ = torch.linalg.qr(ci["means"].double().T)
        P = torch.eye(W.shape[1], dtype=torch.float64) - Q @ Q.T
        rows.append([tail.item(), E.norm().item(), R.norm().item(), (W @ P).norm().item(), A.norm().item(), ci["tcv"], cd["nc1"]])
    return time.perf_counter() - t0, rows


print(json.dumps({"ready": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    seconds, rows = analyze(int(request.get("seed", 0)))
    print(json.dumps({"seconds": seconds, "rows": rows}), flush=True)
