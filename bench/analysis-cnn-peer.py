"""Peer of bench/analysis-cnn.mjs: the PyTorch script a researcher would write for the same analysis of the CNN
conv16-pool-conv32-pool-dense128-dense10 on 10 000 MNIST-size samples — every layer's input (a conv layer's whole
input feature map per sample) and per-sample backward signal (autograd of the summed loss w.r.t. the
pre-activations), class means, TCV, NC1 (Σ_B pseudo-inverse from the top K−1 eigenpairs), trace ratio, singular
values (float64), and for the dense layers the data gradient and the certificate norms ‖E‖, ‖R‖, ‖W P⊥‖.
Everything in memory at once. Protocol: prints {"ready": ...}, then for each request line {"seed": s} prints
{"seconds": t}. Run with /usr/bin/python3 (Debian python3-torch + OpenBLAS)."""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
N, K, lam = 10000, 10, 5e-4


def collapse(h, y):
    counts = torch.bincount(y, minlength=K).to(h.dtype)
    means = torch.zeros(K, h.shape[1], dtype=h.dtype).index_add_(0, y, h) / counts[:, None]
    dev = h - means[y]
    tcv = dev.norm(dim=1).sum()
    centered = means - h.mean(0)
    # Σ_B's nonzero spectrum from the K×K Gram (D can be 12 544 here)
    gram = (centered @ centered.T / K).double()
    evals, evecs = torch.linalg.eigh(gram)
    top = (centered.double().T @ evecs[:, -(K - 1):]) / (K * evals[-(K - 1):]).sqrt()
    proj = (dev.double() @ top) / evals[-(K - 1):].sqrt()
    nc1 = (proj * proj).sum() / h.shape[0] / K
    ratio = (dev * dev).sum() / h.shape[0] / (centered * centered).sum() * K
    return {"tcv": tcv.item(), "nc1": nc1.item(), "ratio": ratio.item(), "means": means}


def analyze(seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(N, 1, 28, 28, generator=g)
    y = torch.randint(0, K, (N,), generator=g)
    c1 = torch.randn(16, 1, 3, 3, generator=g) * (2 / 9) ** 0.5
    c2 = torch.randn(32, 16, 3, 3, generator=g) * (2 / 144) ** 0.5
    d1 = torch.randn(128, 32 * 49, generator=g) * (2 / 1568) ** 0.5
    d2 = torch.randn(10, 128, generator=g) * (2 / 128) ** 0.5
    t0 = time.perf_counter()
    weights = [c1, c2, d1, d2]
    for W in weights:
        W.requires_grad_(True)
    hs, zs = [], []
    h = x
    hs.append(h)
    z = F.conv2d(h, c1, padding=1); z.retain_grad(); zs.append(z)
    h = F.max_pool2d(torch.relu(z), 2); h.retain_grad(); hs.append(h)
    z = F.conv2d(h, c2, padding=1); z.retain_grad(); zs.append(z)
    h = F.max_pool2d(torch.relu(z), 2).flatten(1); hs.append(h)
    z = h @ d1.T; z.retain_grad(); zs.append(z)
    h = torch.relu(z); hs.append(h)
    z = h @ d2.T; z.retain_grad(); zs.append(z)
    loss = F.cross_entropy(z, y, reduction="sum")
    loss.backward()
    rows = []
    for i, W in enumerate(weights):
        hi = hs[i].detach().flatten(1)
        delta = zs[i].grad.flatten(1)
        ci = collapse(hi, y)
        cd = collapse(delta, y)
        Wm = W.detach().flatten(1).double()
        s = torch.linalg.svdvals(Wm)
        row = [s[K:].pow(2).sum().sqrt().item(), ci["tcv"], ci["nc1"], cd["nc1"]]
        if i >= 2:
            G = (W.grad / N).double()
            S = torch.zeros(K, delta.shape[1], dtype=delta.dtype).index_add_(0, y, delta).double()
            E = -(G - S.T @ ci["means"].double() / N) / lam
            R = Wm + G / lam
            Q, _ = torch.linalg.qr(ci["means"].double().T)
            P = torch.eye(Wm.shape[1], dtype=torch.float64) - Q @ Q.T
            row += [E.norm().item(), R.norm().item(), (Wm @ P).norm().item()]
        rows.append(row)
    return time.perf_counter() - t0, rows


print(json.dumps({"ready": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    seconds, rows = analyze(int(request.get("seed", 0)))
    print(json.dumps({"seconds": seconds, "rows": rows}), flush=True)
