#!/usr/bin/env python3
"""Regenerates src/__fixtures__/*.json: inputs and numpy (float64, LAPACK) reference outputs for the metrics tests.

Run from packages/metrics: python3 scripts/make-fixtures.py [--only-singular-values]   (numpy >= 1.20; fixed seeds, so the output is stable)
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__")


def dump(name, payload):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(payload, f, separators=(",", ":"))


def matrix(a):
    a = np.asarray(a, dtype=np.float64)
    return {"rows": int(a.shape[0]), "cols": int(a.shape[1]), "data": a.ravel().tolist()}


def svd_cases(rng):
    cases = []

    def add(name, a):
        cases.append({"name": name, "matrix": matrix(a), "sigma": np.linalg.svd(a, compute_uv=False).tolist()})

    add("square 25x25", rng.standard_normal((25, 25)))
    add("tall 40x12", rng.standard_normal((40, 12)))
    add("wide 9x30", rng.standard_normal((9, 30)))
    add("slightly wide 20x26", rng.standard_normal((20, 26)))
    add("very tall 60x7 (QR first)", rng.standard_normal((60, 7)))
    add("rank 5 of 20x15", rng.standard_normal((20, 5)) @ rng.standard_normal((5, 15)))
    u, _ = np.linalg.qr(rng.standard_normal((30, 30)))
    v, _ = np.linalg.qr(rng.standard_normal((30, 30)))
    add("ill-conditioned 30x30 (cond 1e14)", (u * np.logspace(0, -14, 30)) @ v.T)
    add("single row 1x10", rng.standard_normal((1, 10)))
    add("integer entries 6x6", rng.integers(-3, 4, (6, 6)).astype(np.float64))
    # Larger hard cases: the blocked LQ path (block rows in pairs and an odd last row), graded and clustered
    # spectra, and Kahan's matrix (tiny last singular value, hard for the deflation tests).
    add("graded 37x101 (sigma 1 to 1e-12, LQ first)", factors(rng, 37, 101, np.logspace(0, -12, 37)))
    add("clustered 70x40 (sigma 1 +- 1e-9 and 1e-6)", factors(rng, 70, 40, np.concatenate(
        [1 + 1e-9 * rng.standard_normal(20), 1e-6 * (1 + 1e-9 * rng.standard_normal(20))])))
    add("Kahan 48x48 (theta 1.2)", kahan(48, 1.2))
    add("gaussian 53x150 (LQ first, odd trailing rows)", rng.standard_normal((53, 150)))
    dump("singular-values.json", cases)


def factors(rng, m, n, s):
    """U diag(s) V^T with random orthonormal U (m x k), V (n x k), k = len(s)."""
    u, _ = np.linalg.qr(rng.standard_normal((m, len(s))))
    v, _ = np.linalg.qr(rng.standard_normal((n, len(s))))
    return (u * s) @ v.T


def kahan(n, theta):
    """Kahan's upper-triangular matrix diag(s^i) (I - c·strict upper ones), s = sin θ, c = cos θ."""
    s, c = np.sin(theta), np.cos(theta)
    return np.diag(s ** np.arange(n)) @ (np.eye(n) - c * np.triu(np.ones((n, n)), 1))


def spectral_reference(sigma, K, tol=1e-3, eps=1e-2):
    fro = float(np.sqrt(np.sum(sigma**2)))
    energy = np.cumsum(sigma**2)
    p = sigma / sigma.sum()
    p = p[p > 0]
    return {
        "frobeniusNorm": fro,
        "spectralNorm": float(sigma[0]),
        "tailK": float(np.sqrt(np.sum(sigma[K:] ** 2))),
        "relativeTailK": float(np.sqrt(np.sum(sigma[K:] ** 2)) / fro),
        "numericalRank": int(np.sum(sigma > tol * sigma[0])),
        "normalizedRank": int(np.sum(sigma / fro > tol)),
        "energyRank": int(np.argmax(energy >= (1 - eps) * energy[-1]) + 1),
        "stableRank": float(fro**2 / sigma[0] ** 2),
        "effectiveRank": float(np.exp(-np.sum(p * np.log(p)))),
    }


def spectral_cases(rng):
    cases = []
    for name, a, K in [
        ("random 30x20", rng.standard_normal((30, 20)), 5),
        ("decaying 16x24", (rng.standard_normal((16, 16)) * np.logspace(0, -5, 16)) @ rng.standard_normal((16, 24)), 3),
    ]:
        sigma = np.linalg.svd(a, compute_uv=False)
        cases.append({"name": name, "matrix": matrix(a), "K": K, "expected": spectral_reference(sigma, K)})
    dump("spectral-metrics.json", cases)


def collapse_reference(h, y, K, pred):
    present = [c for c in range(K) if np.sum(y == c) > 0]
    k = len(present)
    N, D = h.shape
    mu = np.zeros((K, D))
    counts = np.zeros(K)
    for c in present:
        mu[c] = h[y == c].mean(axis=0)
        counts[c] = np.sum(y == c)
    mu_g = h.mean(axis=0)
    e = h - mu[y]
    centered = np.array([mu[c] - mu_g for c in present])
    sigma_w = e.T @ e / N
    sigma_b = centered.T @ centered / k
    w, vec = np.linalg.eigh(sigma_b)
    order = np.argsort(w)[::-1][: k - 1]
    pinv = (vec[:, order] / w[order]) @ vec[:, order].T
    norms = np.linalg.norm(centered, axis=1)
    V = {c: np.mean(np.sum(e[y == c] ** 2, axis=1)) for c in present}
    cdnv = [
        (V[a] + V[b]) / (2 * np.sum((mu[a] - mu[b]) ** 2))
        for i, a in enumerate(present)
        for b in present[i + 1 :]
    ]
    cos = (centered @ centered.T) / np.outer(norms, norms)
    off = ~np.eye(k, dtype=bool)
    eig_b = np.clip(np.sort(w)[::-1][:k], 0, None)
    p = eig_b / eig_b.sum()
    p = p[p > 0]
    dist = ((h[:, None, :] - mu[None, present, :]) ** 2).sum(axis=2)
    nearest = np.array(present)[np.argmin(dist, axis=1)]
    return {
        "sampleCount": N,
        "presentClasses": k,
        "tcv": float(np.sum(np.linalg.norm(e, axis=1))),
        "scaleFreeTcv": float(np.sum(np.linalg.norm(e, axis=1)) / sum(counts[c] * norms[i] for i, c in enumerate(present))),
        "nc1": float(np.trace(sigma_w @ pinv) / k),
        "traceWithin": float(np.trace(sigma_w)),
        "traceBetween": float(np.trace(sigma_b)),
        "traceRatio": float(np.trace(sigma_w) / np.trace(sigma_b)),
        "cdnv": float(np.mean(cdnv)),
        "betweenEffectiveRank": float(np.exp(-np.sum(p * np.log(p)))),
        "nc2Equinorm": float(np.std(norms) / np.mean(norms)),
        "nc2Equiangularity": float(np.mean(np.abs(cos[off] + 1 / (k - 1)))),
        "nc4Disagreement": float(np.mean(nearest != pred)),
        "maxNorm": float(np.max(np.linalg.norm(h, axis=1))),
        "classCounts": counts.tolist(),
        "classMeans": mu.ravel().tolist(),
    }


def collapse_cases(rng):
    K, D, N = 5, 6, 150
    # Class 3 is absent on purpose: the metrics must skip it.
    y = rng.choice([0, 1, 2, 4], size=N, p=[0.4, 0.25, 0.2, 0.15])
    centers = rng.standard_normal((K, D)) * 3
    h = centers[y] + rng.standard_normal((N, D)) * np.array([0.5, 1, 1.5, 0.7, 0.2, 1.0])
    pred = np.where(rng.random(N) < 0.9, y, rng.integers(0, K, N))
    expected = collapse_reference(h, y, K, pred)
    classifier = rng.standard_normal((K, D))
    mu_g = h.mean(axis=0)
    M = np.array([h[y == c].mean(axis=0) - mu_g if np.any(y == c) else np.zeros(D) for c in range(K)])
    nc3 = np.linalg.norm(classifier / np.linalg.norm(classifier) - M / np.linalg.norm(M))
    dump("collapse.json", {
        "numClasses": K, "dim": D, "features": h.ravel().tolist(), "labels": y.tolist(), "predictions": pred.tolist(),
        "expected": expected, "classifier": matrix(classifier), "nc3": float(nc3),
    })


def certificate_case(rng):
    m, n, K, N, lam = 7, 9, 3, 60, 0.05
    y = np.arange(N) % K
    h = rng.standard_normal((K, n))[y] + 0.3 * rng.standard_normal((N, n))
    delta = rng.standard_normal((K, m))[y] + 0.2 * rng.standard_normal((N, m))
    W = rng.standard_normal((m, n))
    G = delta.T @ h / N
    counts = np.array([np.sum(y == c) for c in range(K)], dtype=float)
    mu = np.array([h[y == c].mean(axis=0) for c in range(K)])
    s = np.array([delta[y == c].sum(axis=0) for c in range(K)])
    nu = s / counts[:, None]
    A = -(s.T @ mu) / (lam * N)
    E = -(G - s.T @ mu / N) / lam
    R = W + G / lam
    Q, _ = np.linalg.qr(mu.T)  # n x K, full column rank here
    P = np.eye(n) - Q @ Q.T
    Qd, _ = np.linalg.qr(nu.T)
    Pd = np.eye(m) - Qd @ Qd.T
    sigma = np.linalg.svd(W, compute_uv=False)
    e = h - mu[y]
    r = delta - nu[y]
    fro = np.linalg.norm
    tcv = float(np.sum(np.linalg.norm(e, axis=1)))
    tcv_delta = float(np.sum(np.linalg.norm(r, axis=1)))
    max_delta = float(np.max(np.linalg.norm(delta, axis=1)))
    max_h = float(np.max(np.linalg.norm(h, axis=1)))
    dump("certificate.json", {
        "inputs": {
            "weight": matrix(W), "gradient": matrix(G), "classDeltaSums": matrix(s), "classInputMeans": matrix(mu),
            "classCounts": counts.tolist(), "sampleCount": N, "weightDecay": lam, "maxDeltaNorm": max_delta,
            "inputTcv": tcv, "maxInputNorm": max_h, "deltaTcv": tcv_delta,
        },
        "expected": {
            "tailK": float(np.sqrt(np.sum(sigma[K:] ** 2))),
            "normA": float(fro(A)), "normE": float(fro(E)), "normR": float(fro(R)),
            "boundER": float(fro(E) + fro(R)),
            "tcvBound": max_delta * tcv / (lam * N),
            "spanRank": K, "offSpanW": float(fro(W @ P)), "offSpanE": float(fro(E @ P)), "offSpanR": float(fro(R @ P)),
            "dualTcvBound": max_h * tcv_delta / (lam * N),
            "dualSpanRank": K, "dualOffSpanW": float(fro(Pd @ W)), "dualOffSpanE": float(fro(Pd @ E)),
            "dualOffSpanR": float(fro(Pd @ R)),
        },
    })


if __name__ == "__main__":
    import sys

    os.makedirs(OUT, exist_ok=True)
    svd_cases(np.random.default_rng(20240203))
    if sys.argv[1:] == ["--only-singular-values"]:
        sys.exit(0)
    spectral_cases(np.random.default_rng(7))
    collapse_cases(np.random.default_rng(11))
    certificate_case(np.random.default_rng(13))
