#!/usr/bin/python3
"""Peer for bench/weights-file.mjs: the weights-only analysis of a safetensors file in numpy.

    weights-file-peer.py write PATH       writes a BERT-base-shaped state dict (PyTorch, random weights) as safetensors
    weights-file-peer.py serve THREADS    answers {"path", "K"} lines with {"seconds", "matrices", "sigma1", "max_rss_kb"}

serve reads the file as a numpy user would (the JSON header, then np.memmap; each 2-D floating-point tensor
converted to float64, as the project computes in float64), takes np.linalg.svd(compute_uv=False) of every 2-D
tensor and the same spectral metrics as the project (norms, tail beyond K, numerical / normalized / energy /
stable / effective rank). THREADS sets OPENBLAS_NUM_THREADS before numpy loads its BLAS.
"""
import json
import os
import resource
import struct
import sys
import time

LAYERS, HIDDEN, FFN, VOCAB, POSITIONS = 12, 768, 3072, 30522, 512


def bert_state_dict():
    import torch

    torch.manual_seed(0)
    sd = {}

    def linear(name, out_features, in_features):
        sd[f"{name}.weight"] = torch.randn(out_features, in_features) * 0.02
        sd[f"{name}.bias"] = torch.zeros(out_features)

    def norm(name):
        sd[f"{name}.weight"] = torch.ones(HIDDEN)
        sd[f"{name}.bias"] = torch.zeros(HIDDEN)

    sd["embeddings.word_embeddings.weight"] = torch.randn(VOCAB, HIDDEN) * 0.02
    sd["embeddings.position_embeddings.weight"] = torch.randn(POSITIONS, HIDDEN) * 0.02
    sd["embeddings.token_type_embeddings.weight"] = torch.randn(2, HIDDEN) * 0.02
    norm("embeddings.LayerNorm")
    for i in range(LAYERS):
        p = f"encoder.layer.{i}"
        for m in ("query", "key", "value"):
            linear(f"{p}.attention.self.{m}", HIDDEN, HIDDEN)
        linear(f"{p}.attention.output.dense", HIDDEN, HIDDEN)
        norm(f"{p}.attention.output.LayerNorm")
        linear(f"{p}.intermediate.dense", FFN, HIDDEN)
        linear(f"{p}.output.dense", HIDDEN, FFN)
        norm(f"{p}.output.LayerNorm")
    linear("pooler.dense", HIDDEN, HIDDEN)
    sd["embeddings.position_ids"] = torch.arange(POSITIONS).unsqueeze(0)
    return sd


def write(path):
    """The safetensors layout the `safetensors` package writes: tensors sorted by name, 8-byte padded header."""
    sd = bert_state_dict()
    dtypes = {"torch.float32": "F32", "torch.int64": "I64"}
    header, offset, names = {"__metadata__": {"format": "pt"}}, 0, sorted(sd)
    for name in names:
        t = sd[name]
        size = t.numel() * t.element_size()
        header[name] = {"dtype": dtypes[str(t.dtype)], "shape": list(t.shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for name in names:
            f.write(sd[name].contiguous().numpy().tobytes())
    parameters = sum(t.numel() for n, t in sd.items() if t.is_floating_point())
    print(json.dumps({"bytes": 8 + len(text) + offset, "parameters": parameters}), flush=True)


def serve(threads):
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    import numpy as np

    dtypes = {"F32": "<f4", "F16": "<f2", "F64": "<f8"}

    def metrics(s, K):
        energy = s * s
        total = energy.sum()
        p = s / s.sum()
        p = p[p > 0]
        return {
            "frobeniusNorm": float(np.sqrt(total)),
            "spectralNorm": float(s[0]),
            "tailK": float(np.sqrt(energy[K:].sum())),
            "numericalRank": int((s > 1e-3 * s[0]).sum()),
            "normalizedRank": int((s / np.sqrt(total) > 1e-3).sum()),
            "energyRank": int(np.searchsorted(np.cumsum(energy), (1 - 1e-2) * total) + 1),
            "stableRank": float(total / energy[0]),
            "effectiveRank": float(np.exp(-(p * np.log(p)).sum())),
        }

    def analyze(path, K):
        with open(path, "rb") as f:
            (length,) = struct.unpack("<Q", f.read(8))
            header = json.loads(f.read(length))
        data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + length)
        sigma1 = {}
        for name, entry in header.items():
            if name == "__metadata__" or entry["dtype"] not in dtypes or len(entry["shape"]) != 2:
                continue
            begin, end = entry["data_offsets"]
            w = np.frombuffer(data[begin:end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"]).astype(np.float64)
            s = np.linalg.svd(w, compute_uv=False)
            metrics(s, K)
            sigma1[name] = float(s[0])
        return sigma1

    print(json.dumps({"ready": np.__version__, "threads": threads, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        request = json.loads(line)
        start = time.perf_counter()
        sigma1 = analyze(request["path"], request["K"])
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "matrices": len(sigma1), "sigma1": sigma1, "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        serve(int(sys.argv[2]))
