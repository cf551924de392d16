#!/usr/bin/env python3
"""Peer for bench/singular-values.mjs: times numpy.linalg.svd(..., compute_uv=False) on matrices it is sent.

Protocol (one line each way): "path rows cols" -> "seconds max_sigma"; the file holds rows*cols float64 values
(little-endian, row-major), the same matrix the project timed. An empty line or EOF ends the process.
"""
import sys
import time

import numpy as np

try:
    from threadpoolctl import threadpool_info

    info = [f"{p.get('internal_api')} {p.get('version')} {p.get('architecture')} threads={p.get('num_threads')}" for p in threadpool_info()]
except ImportError:
    info = ["threadpoolctl not installed: BLAS kernel unknown"]
print(f"numpy {np.__version__}; " + "; ".join(info), file=sys.stderr, flush=True)
print("ready", flush=True)
for line in sys.stdin:
    parts = line.split()
    if not parts:
        break
    path, rows, cols = parts[0], int(parts[1]), int(parts[2])
    a = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    start = time.perf_counter()
    sigma = np.linalg.svd(a, compute_uv=False)
    elapsed = time.perf_counter() - start
    print(f"{elapsed!r} {sigma[0]!r}", flush=True)
