#!/usr/bin/env python3
"""Checks a benchmark peer before it is timed (used by bench/lib/harness.mjs): which BLAS the library was built
against, which BLAS is actually loaded at run time, and how fast a short GEMM runs.

    python3 peer-check.py numpy|torch

Prints one JSON object: {"library", "version", "build_blas", "loaded_blas", "openblas", "gemm_gflops",
"gemm_dtype", "gemm_size"}. Debian's numpy and torch are built against the generic "blas" name and get
OpenBLAS through the alternatives system, so the build info alone cannot tell: the loaded libraries are read
from /proc/self/maps and OpenBLAS is asked for its configuration (openblas_get_config).
"""
import ctypes
import io
import json
import os
import re
import sys
import time
from contextlib import redirect_stdout

OPTIMIZED = re.compile(r"openblas|mkl|blis|accelerate|armpl", re.IGNORECASE)
GEMM_SIZE = 1024


def loaded_blas():
    """Paths (resolved) of the BLAS/LAPACK libraries mapped into this process."""
    paths = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path).lower()
                if path.startswith("/") and re.search(r"blas|lapack|mkl|blis", name):
                    paths.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(paths)


def openblas_config(paths):
    """openblas_get_config() of the first loaded library that exports it (any symbol suffix), else None."""
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("", "scipy_"):
            for suffix in ("", "64_"):
                fn = getattr(lib, f"{prefix}openblas_get_config{suffix}", None)
                if fn is not None:
                    fn.restype = ctypes.c_char_p
                    return fn().decode()
    return None


def numpy_build_blas(np):
    """The BLAS name in numpy's build configuration (numpy 2: mode='dicts'; 1.x: blas_opt_info libraries)."""
    try:
        info = np.show_config(mode="dicts")
        return str(info["Build Dependencies"]["blas"].get("name"))
    except TypeError:
        config = np.__config__
        for key in ("blas_opt_info", "blas_ilp64_opt_info", "openblas_info", "blas_mkl_info"):
            libraries = getattr(config, "get_info", lambda _: {})(key).get("libraries")
            if libraries:
                return ",".join(libraries)
        return "unknown"


def check_numpy():
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((GEMM_SIZE, GEMM_SIZE))
    b = rng.standard_normal((GEMM_SIZE, GEMM_SIZE))
    a @ b
    best = min(timed(lambda: a @ b) for _ in range(5))
    return {"library": "numpy", "version": np.__version__, "build_blas": numpy_build_blas(np), "gemm_dtype": "float64",
            "gemm_gflops": 2 * GEMM_SIZE**3 / best / 1e9}


def check_torch():
    import torch

    threads = int(os.environ.get("PEER_CHECK_TORCH_THREADS", "1"))
    torch.set_num_threads(threads)
    shown = torch.__config__.show()
    match = re.search(r"BLAS_INFO=([^,\s]+)", shown)
    build = match.group(1) if match else ("mkl" if "USE_MKL=ON" in shown else "unknown")
    g = torch.Generator().manual_seed(0)
    a = torch.randn(GEMM_SIZE, GEMM_SIZE, generator=g, dtype=torch.float32)
    b = torch.randn(GEMM_SIZE, GEMM_SIZE, generator=g, dtype=torch.float32)
    with torch.no_grad():
        a @ b
        best = min(timed(lambda: a @ b) for _ in range(5))
    return {"library": "torch", "version": torch.__version__, "build_blas": build, "gemm_dtype": "float32",
            "gemm_gflops": 2 * GEMM_SIZE**3 / best / 1e9}


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    library = sys.argv[1]
    with redirect_stdout(io.StringIO()):  # show_config prints
        result = check_numpy() if library == "numpy" else check_torch()
    paths = loaded_blas()
    result["loaded_blas"] = paths
    result["openblas"] = openblas_config(paths)
    result["gemm_size"] = GEMM_SIZE
    result["optimized"] = bool(OPTIMIZED.search(result["build_blas"]) or result["openblas"]
                               or any(OPTIMIZED.search(os.path.basename(p)) for p in paths))
    print(json.dumps(result))
