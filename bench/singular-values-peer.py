#!/usr/bin/env python3
"""Peer for bench/singular-values.mjs: times numpy.linalg.svd(a, compute_uv=False) (LAPACK dgesdd, values only)
on the matrices it is sent.

Protocol (one JSON object per line, see startPeer in bench/lib/harness.mjs): prints {"ready": true, "numpy":
version} once, then answers each request {"path", "rows", "cols"} with {"seconds"}; the file holds rows*cols
float64 values (little-endian, row-major), the same matrix the project timed, and the singular values are
written to path + ".sigma" (float64) for the error check.
"""
import json
import sys
import time

import numpy as np

print(json.dumps({"ready": True, "numpy": np.__version__}), flush=True)
for line in sys.stdin:
    if not line.strip():
        break
    request = json.loads(line)
    a = np.fromfile(request["path"], dtype="<f8").reshape(request["rows"], request["cols"])
    start = time.perf_counter()
    sigma = np.linalg.svd(a, compute_uv=False)
    elapsed = time.perf_counter() - start
    sigma.astype("<f8").tofile(request["path"] + ".sigma")
    print(json.dumps({"seconds": elapsed}), flush=True)
