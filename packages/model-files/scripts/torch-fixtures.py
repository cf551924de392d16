#!/usr/bin/python3
"""Writes the PyTorch and safetensors fixtures of model-files and the numpy reference the tests compare to.

    /usr/bin/python3 packages/model-files/scripts/torch-fixtures.py

Everything is written by PyTorch itself (torch.save, zip format) or, for safetensors, by the writer below
(standard library + the bytes PyTorch gives; the `safetensors` module is not installed on the project machine).
The reference (reference.json beside the fixtures) states each expected item in file order: matrices with
role, rows, cols, row-major float values and singular values from numpy.linalg.svd (float64), skipped tensors
with their shape. The matrix convention is restated here independently of the TypeScript reader: 2-D weights
as stored [out, in], embedding tables transposed to dim × vocab, conv kernels C_out × (C_in/groups · k…).

The malicious pickles are written with torch.save of objects whose __reduce__ names os.system, builtins.eval
or subprocess.Popen; their payload would create PAYLOAD_FILE. This script never loads them.
"""
import collections
import io
import json
import os
import pickle
import struct
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
PT_DIR = HERE.parent / "src" / "pytorch" / "__fixtures__"
ST_DIR = HERE.parent / "src" / "safetensors" / "__fixtures__"
PAYLOAD_FILE = "/tmp/rank-collapse-pickle-payload-ran"

EMBEDDING_KEYS = ("embed",)


class Net(torch.nn.Module):
    """Every kind of state-dict tensor the readers tell apart, a few KB in all."""

    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(11, 5)
        self.conv1 = torch.nn.Conv2d(3, 4, 3)
        self.bn1 = torch.nn.BatchNorm2d(4)
        self.conv1d = torch.nn.Conv1d(4, 6, 2, groups=2)
        self.fc1 = torch.nn.Linear(12, 8)
        self.classifier = torch.nn.Linear(8, 3)


def net():
    torch.manual_seed(0)
    model = Net()
    with torch.no_grad():
        # Non-trivial normalization statistics so that skipped tensors are not all ones and zeros.
        model.bn1.running_mean.uniform_(-1, 1)
        model.bn1.running_var.uniform_(0.5, 2)
        model.bn1.num_batches_tracked.fill_(7)
    return model


def expected_item(key, t):
    """The item a reader must yield for state-dict tensor `key`, computed with numpy."""
    shape = list(t.shape)
    if not t.is_floating_point():
        return {"kind": "skipped", "name": key, "shape": shape}
    if t.dim() < 2 or (t.dim() > 2 and not key.endswith("weight")):
        return {"kind": "skipped", "name": key, "shape": shape}
    a = t.detach().to(torch.float64).numpy() if t.dtype != torch.float64 else t.detach().numpy()
    if t.dim() == 2 and any(k in key.split(".")[-2] for k in EMBEDDING_KEYS):
        role, w = "embedding", a.T
    elif t.dim() == 2:
        role, w = "dense", a
    else:
        role, w = "conv", a.reshape(shape[0], -1)
    w = np.ascontiguousarray(w)
    sigma = np.linalg.svd(w, compute_uv=False)
    return {
        "kind": "matrix",
        "name": key,
        "role": role,
        "shape": shape,
        "rows": int(w.shape[0]),
        "cols": int(w.shape[1]),
        "dtype": str(t.dtype).replace("torch.", ""),
        "data": [float(x) for x in w.reshape(-1)],
        "sigma": [float(s) for s in sigma],
    }


# ---- safetensors, written from the format's definition -------------------------------------------------------

ST_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64", torch.int64: "I64"}


def tensor_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def write_safetensors(path, tensors, metadata=None):
    """8-byte little-endian header length, the JSON header (padded with spaces to 8 bytes), the data."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    chunks = []
    offset = 0
    for key, t in tensors:
        b = tensor_bytes(t)
        header[key] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in chunks:
            f.write(b)


# ---- the fixtures --------------------------------------------------------------------------------------------


def main():
    PT_DIR.mkdir(parents=True, exist_ok=True)
    ST_DIR.mkdir(parents=True, exist_ok=True)
    pt_ref = {}
    st_ref = {}
    model = net()
    # Copies: state_dict() shares the parameters' storage, which the optimizer step below changes in place.
    sd = collections.OrderedDict((k, v.clone()) for k, v in model.state_dict().items())

    # 1. The state dict as torch.save writes it (zip); outputWidth 3 (classifier.weight is the last 2-D weight).
    torch.save(sd, PT_DIR / "mlp-conv.pt")
    pt_ref["mlp-conv.pt"] = {"outputWidth": 3, "items": [expected_item(k, t) for k, t in sd.items()]}

    # 2. A training checkpoint: the model under "model", SGD state with momentum buffers, the epoch.
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for p in model.parameters():
        p.grad = torch.ones_like(p)
    opt.step()
    sd_after = model.state_dict()
    torch.save({"model": sd_after, "optimizer": opt.state_dict(), "epoch": 3}, PT_DIR / "checkpoint.pt")
    items = [expected_item(f"model.{k}", t) for k, t in sd_after.items()]
    items.append({"kind": "skipped", "name": "optimizer", "shape": []})
    pt_ref["checkpoint.pt"] = {"outputWidth": 3, "items": items}

    # 3. Views sharing one storage: a transpose, a slice with an offset, a stepped slice.
    torch.manual_seed(1)
    base = torch.randn(4, 6)
    views = collections.OrderedDict(
        [("base.weight", base), ("transposed.weight", base.t()), ("sliced.weight", base[1:3, 2:5]), ("stepped.weight", base[:, ::2])]
    )
    # A 3-D kernel stored permuted (non-contiguous over three axes), read as C_out × rest.
    views["permuted.weight"] = torch.randn(2, 4, 3).permute(0, 2, 1)
    assert not views["transposed.weight"].is_contiguous() and views["sliced.weight"].storage_offset() == 8
    torch.save(views, PT_DIR / "views.pt")
    pt_ref["views.pt"] = {"outputWidth": None, "items": [expected_item(k, t) for k, t in views.items()]}

    # 4. Half, bfloat16 and double tensors, and a Parameter (saved through _rebuild_parameter).
    torch.manual_seed(2)
    dtypes = collections.OrderedDict(
        [
            ("half.weight", torch.randn(6, 5).to(torch.float16)),
            ("bf16.weight", torch.randn(4, 7).to(torch.bfloat16)),
            ("double.weight", torch.randn(3, 4, dtype=torch.float64)),
            ("param.weight", torch.nn.Parameter(torch.randn(2, 3))),
        ]
    )
    torch.save(dtypes, PT_DIR / "dtypes.pt")
    pt_ref["dtypes.pt"] = {"outputWidth": None, "items": [expected_item(k, t) for k, t in dtypes.items()]}

    # 5. The same dtypes as written on a big-endian machine: data byte-swapped, byteorder "big".
    write_big_endian(PT_DIR / "dtypes.pt", PT_DIR / "big-endian.pt")
    pt_ref["big-endian.pt"] = pt_ref["dtypes.pt"]

    # 6. Malicious pickles: each would create PAYLOAD_FILE when loaded by pickle.
    class EvilSystem:
        def __reduce__(self):
            return (os.system, (f"touch {PAYLOAD_FILE}",))

    class EvilEval:
        def __reduce__(self):
            return (eval, (f"open({PAYLOAD_FILE!r}, 'w')",))

    class EvilPopen:
        def __reduce__(self):
            return (subprocess.Popen, (["touch", PAYLOAD_FILE],))

    for name, evil in [("evil-os-system.pt", EvilSystem()), ("evil-eval.pt", EvilEval()), ("evil-popen.pt", EvilPopen())]:
        torch.save(collections.OrderedDict([("fc.weight", torch.ones(2, 2)), ("payload", evil)]), PT_DIR / name)

    # safetensors: the state dict's tensors in the order the `safetensors` package writes them (sorted by name
    # within one dtype), so the last 2-D weight is fc1.weight and no classifier head can be told: outputWidth null.
    st_items = sorted(sd.items())
    write_safetensors(ST_DIR / "mlp-conv.safetensors", st_items, {"format": "pt"})
    st_ref["mlp-conv.safetensors"] = {"outputWidth": None, "items": [expected_item(k, t) for k, t in st_items]}

    dtype_items = [(k, v.detach()) for k, v in dtypes.items()]
    write_safetensors(ST_DIR / "dtypes.safetensors", dtype_items)
    st_ref["dtypes.safetensors"] = {"outputWidth": None, "items": [expected_item(k, t) for k, t in dtype_items]}

    # Two shards and the index naming them, in the order model.safetensors.index.json lists the shards.
    shard_dir = ST_DIR / "sharded"
    shard_dir.mkdir(exist_ok=True)
    first, second = st_items[:6], st_items[6:]
    names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    write_safetensors(shard_dir / names[0], first, {"format": "pt"})
    write_safetensors(shard_dir / names[1], second, {"format": "pt"})
    total = sum(len(tensor_bytes(t)) for _, t in st_items)
    index = {"metadata": {"total_size": total}, "weight_map": {k: names[0 if i < 6 else 1] for i, (k, _) in enumerate(st_items)}}
    (shard_dir / "model.safetensors.index.json").write_text(json.dumps(index, indent=2) + "\n")
    st_ref["sharded/model.safetensors.index.json"] = st_ref["mlp-conv.safetensors"]

    # Archives whose pickle lies about its storages, and a truncated one.
    write_lying_archive(PT_DIR / "lying-storage.pt", numel=10**12, offset=0, size=(2, 3), stride=(3, 1))
    write_lying_archive(PT_DIR / "lying-shape.pt", numel=6, offset=0, size=(10**6, 10**6), stride=(10**6, 1))
    write_lying_archive(PT_DIR / "lying-view.pt", numel=6, offset=4, size=(2, 3), stride=(3, 1))
    whole = (PT_DIR / "mlp-conv.pt").read_bytes()
    (PT_DIR / "truncated.pt").write_bytes(whole[: len(whole) // 2])

    # A TorchScript archive (torch.jit.save): its pickles name the scripted classes; refused as such.
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), str(PT_DIR / "torchscript.pt"))

    # Plain pickles for the unpickler itself: containers in protocols 2 and 4, a STACK_GLOBAL of os.system.
    plain = {"name": "net", "sizes": [784, 256, (10, 3.5)], "flags": {True, False}, "none": None, "big": 2**70, "neg": -3, "bytes": b"\x00\xffab", "nested": {"a": [1.25, -0.0]}, "unicode": "σ₁ ≥ σ₂"}
    for protocol in (2, 4):
        (PT_DIR / f"plain-protocol{protocol}.pkl").write_bytes(pickle.dumps(plain, protocol=protocol))
    (PT_DIR / "stack-global-os-system.pkl").write_bytes(pickle.dumps(os.system, protocol=4))
    pt_ref["plain"] = {"name": "net", "sizes": [784, 256, [10, 3.5]], "flags": sorted(plain["flags"]), "none": None, "big": str(2**70), "neg": -3, "bytes": list(plain["bytes"]), "nested": {"a": [1.25, -0.0]}, "unicode": plain["unicode"]}

    (PT_DIR / "reference.json").write_text(json.dumps(pt_ref, indent=1) + "\n")
    (ST_DIR / "reference.json").write_text(json.dumps(st_ref, indent=1) + "\n")
    print(f"wrote {sorted(p.name for p in PT_DIR.iterdir())} and {sorted(p.name for p in ST_DIR.iterdir())}")


class _Storage:
    def __init__(self, numel):
        self.numel = numel


class _Tensor:
    """Pickles as torch.save pickles a tensor, with whatever storage size, offset, size and stride it is given."""

    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


class _StoragePickler(pickle.Pickler):
    def persistent_id(self, obj):
        return ("storage", torch.FloatStorage, "0", "cpu", obj.numel) if isinstance(obj, _Storage) else None


def write_lying_archive(path, numel, offset, size, stride):
    """A torch.save-shaped zip whose one storage really holds 6 float32 values (24 bytes)."""
    body = io.BytesIO()
    _StoragePickler(body, protocol=2).dump(collections.OrderedDict([("fc.weight", _Tensor(_Storage(numel), offset, size, stride))]))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        stored(z, "lying/data.pkl", body.getvalue())
        stored(z, "lying/data/0", np.arange(6, dtype="<f4").tobytes())
        stored(z, "lying/version", b"3\n")


def stored(z, name, body):
    """An uncompressed entry with a fixed date, so that rerunning the script rewrites the same bytes."""
    z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), body, compress_type=zipfile.ZIP_STORED)


def write_big_endian(source, target):
    """Rewrites a torch.save zip as a big-endian machine writes it: every storage byte-swapped, byteorder big."""
    # Our own file, loaded to learn the item size of each storage (one per tensor, numbered in order).
    loaded = torch.load(source)
    sizes = [t.element_size() for t in loaded.values()]
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
        archive = zin.namelist()[0].split("/")[0]
        data_entries = [n for n in zin.namelist() if n.startswith(f"{archive}/data/")]
        assert len(data_entries) == len(sizes)
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename.startswith(f"{archive}/data/"):
                key = int(info.filename.rsplit("/", 1)[1])
                size = sizes[key]
                body = np.frombuffer(body, dtype=f"<u{size}").byteswap().tobytes() if size > 1 else body
            stored(zout, info.filename.replace(archive, "big-endian", 1), body)
        stored(zout, "big-endian/byteorder", b"big")


if __name__ == "__main__":
    main()
