"""Reference weight matrices and singular values of the real model files in corpus.json.

Run with Debian's /usr/bin/python3 (python3-numpy, python3-onnx) after `node scripts/model-corpus/fetch.mjs`:
    /usr/bin/python3 scripts/model-corpus/reference.py [--cache DIR] [ID ...]
It writes packages/model-files/src/corpus/__fixtures__/<id>.json for every corpus file (or the IDs named).

An independent reading of each file (onnx + numpy for ONNX; json + numpy for TF.js Layers and Graph
manifests and their shards), following the conventions of packages/model-files/src/weight-matrix.ts:
W is rows × cols with z = W·h (rows = outputs). Conv kernels C_out × (C_in/groups · k…); transposed conv
(C_out/groups · k…) × C_in; recurrent layers one matrix per direction and gate, hidden × input (W) and
hidden × hidden (R), named `<node>.W.<gate>` (`<node>.W.<direction>.<gate>` when bidirectional); embedding
tables dim × vocab; Gemm/MatMul with a constant operand on either side (a constant of more than two axes gives
one matrix per leading index, `<node>[i]`). A constant is an initializer (of the graph or an enclosing one)
or a Constant node's value, seen through Identity, Cast, Reshape, Flatten, Squeeze, Unsqueeze, Transpose,
Slice, Concat and DequantizeLinear (constant shapes, axes and scales); `tensor` names the stored source (the
first one for a Concat). Products of two activations are not listed. ONNX subgraphs (If, Loop, Scan bodies)
are read like the main graph. ONNX matrix names are the node's name, or `<op>_<index in its graph>` when it
has none, with `<enclosing node>/<graph attribute>/` in front for a node of a subgraph.
TF.js Layers matrices are named by the Keras layer (kernel HWIO read as C_out × C_in·k…, Dense kernel
transposed), Graph-model matrices by the node that reads the Const (Conv2D/_FusedConv2D, depthwise,
MatMul/_FusedMatMul with transpose_a/b, GatherV2 of a 2-D float table); uint8/uint16 weights are
q·scale + min, float16 decoded. Ops this corpus does not contain (ONNX Einsum and quantized ops, Keras
recurrent and separable layers, graph functions, batched constant MatMuls in graph models) are refused
with NotImplementedError rather than guessed.

What is stored, to keep the files small: for each matrix its name, tensor, role, op, rows, cols and
  sigma.count (min(rows, cols)), sigma.max (σ₁), sigma.sumSquares (Σσ² = ‖W‖_F², from the entries),
  sigma.values: all singular values, descending, when min(rows, cols) ≤ 64; otherwise
  sigma.top: the 32 largest and sigma.bottom: the 8 smallest (both descending).
Singular values are numpy.linalg.svd(W in float64, compute_uv=False) of the values as stored (float16
and quantized weights decoded first, in float64). Nine significant digits are written.
"""
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "packages", "model-files", "src", "corpus", "__fixtures__")
FULL_LIMIT = 64
TOP = 32
BOTTOM = 8
SUBGRAPH_OPS = {onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS}


def cache_dir(argv):
    if "--cache" in argv:
        return os.path.abspath(argv[argv.index("--cache") + 1])
    return os.environ.get("RANK_COLLAPSE_MODEL_CORPUS") or os.path.join(os.path.expanduser("~"), ".cache", "rank-collapse", "model-corpus")


def cached_path(cache, entry, path):
    if entry["source"] == "npm":
        return os.path.join(cache, "npm", f"{entry['package']}@{entry['version']}", path)
    return os.path.join(cache, "debian", entry["package"], path)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def matrix(name, tensor, role, op, w):
    w = np.asarray(w, dtype=np.float64)
    assert w.ndim == 2, (name, w.shape)
    return {"name": name, "tensor": tensor, "role": role, "op": op, "rows": int(w.shape[0]), "cols": int(w.shape[1]), "w": w}


# ------------------------------------------------------------------------------------------------ ONNX
class OnnxScope:
    """Constants visible in one graph: its initializers and Constant nodes, then those of enclosing graphs."""

    def __init__(self, graph, parent=None):
        self.parent = parent
        self.stored = {}  # name -> (source tensor name, array)
        self.producers = {}
        for init in graph.initializer:
            self.stored[init.name] = (init.name, numpy_helper.to_array(init))
        for node in graph.node:
            for out in node.output:
                self.producers[out] = node
            if node.op_type == "Constant":
                value = next((a for a in node.attribute if a.name == "value"), None)
                if value is not None:
                    self.stored[node.output[0]] = (node.output[0], numpy_helper.to_array(value.t))

    def constant(self, name):
        """(source tensor, float64 array) when `name` is a constant here or in an enclosing graph, else None."""
        if not name:
            return None
        if name in self.stored:
            return self.stored[name]
        node = self.producers.get(name)
        if node is not None:
            return self.folded(node)
        return self.parent.constant(name) if self.parent is not None else None

    def folded(self, node):
        op = node.op_type
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if op == "Concat":
            parts = [self.constant(x) for x in node.input]
            if any(p is None for p in parts):
                return None
            return (parts[0][0], np.concatenate([p[1] for p in parts], axis=attrs.get("axis", 0)))
        if op in ("Identity", "Cast", "Squeeze", "Unsqueeze", "Reshape", "Flatten", "Transpose", "Slice", "DequantizeLinear"):
            src = self.constant(node.input[0])
            if src is None:
                return None
            tensor, a = src
            if op == "Cast":
                return (tensor, a)
            if op == "Identity":
                return (tensor, a)
            if op == "Transpose":
                return (tensor, np.transpose(a, attrs.get("perm")))
            if op == "Flatten":
                axis = attrs.get("axis", 1) % max(a.ndim, 1) if a.ndim else 0
                return (tensor, a.reshape(int(np.prod(a.shape[:axis])), -1))
            if op == "Slice":
                return self.sliced(node, attrs, tensor, a)
            if op in ("Squeeze", "Unsqueeze"):
                axes = attrs.get("axes")
                if axes is None and len(node.input) > 1 and node.input[1]:
                    c = self.constant(node.input[1])
                    if c is None:
                        return None
                    axes = [int(x) for x in np.ravel(c[1])]
                if op == "Squeeze":
                    return (tensor, np.squeeze(a, axis=tuple(axes)) if axes is not None else np.squeeze(a))
                out = a
                rank = a.ndim + len(axes)
                for axis in sorted(x % rank for x in axes):
                    out = np.expand_dims(out, axis)
                return (tensor, out)
            if op == "Reshape":
                c = self.constant(node.input[1])
                if c is None:
                    return None
                shape = [int(x) for x in np.ravel(c[1])]
                shape = [a.shape[i] if s == 0 else s for i, s in enumerate(shape)]
                return (tensor, a.reshape(shape))
            if op == "DequantizeLinear":
                scale = self.constant(node.input[1])
                zero = self.constant(node.input[2]) if len(node.input) > 2 and node.input[2] else None
                if scale is None or (len(node.input) > 2 and node.input[2] and zero is None):
                    return None
                s = scale[1].astype(np.float64)
                z = zero[1].astype(np.float64) if zero is not None else np.zeros_like(s)
                axis = attrs.get("axis", 1)
                if s.ndim == 1 and s.size > 1:
                    shape = [1] * a.ndim
                    shape[axis % a.ndim] = s.size
                    s, z = s.reshape(shape), z.reshape(shape)
                return (tensor, (a.astype(np.float64) - z) * s)
        return None

    def sliced(self, node, attrs, tensor, a):
        """Slice with ONNX's clamping rules (starts/ends/axes/steps as inputs, or attributes before opset 10)."""
        if "starts" in attrs:
            starts, ends, axes, steps = attrs["starts"], attrs["ends"], attrs.get("axes"), None
        else:
            got = []
            for i in range(1, 5):
                if len(node.input) > i and node.input[i]:
                    c = self.constant(node.input[i])
                    if c is None:
                        return None
                    got.append([int(x) for x in np.ravel(c[1])])
                else:
                    got.append(None)
            starts, ends, axes, steps = got
        axes = axes if axes is not None else list(range(len(starts)))
        steps = steps if steps is not None else [1] * len(starts)
        index = [slice(None)] * a.ndim
        for start, end, axis, step in zip(starts, ends, axes, steps):
            dim = a.shape[axis]
            start, end = start + dim if start < 0 else start, end + dim if end < 0 else end
            if step > 0:
                start, end = min(max(start, 0), dim), min(max(end, 0), dim)
            else:
                start, end = min(max(start, 0), dim - 1), min(max(end, -1), dim - 1)
            index[axis % a.ndim] = slice(start, end if end >= 0 else None, step)
        return (tensor, a[tuple(index)])


def onnx_float(a):
    return a.dtype.kind == "f"


def onnx_matrices(path):
    model = onnx.load(path)
    mats = []

    def recurrent(node, label, scope, attrs):
        gates = {"LSTM": ["i", "o", "f", "c"], "GRU": ["z", "r", "h"], "RNN": [None]}[node.op_type]
        hidden = int(attrs["hidden_size"])
        direction = attrs.get("direction", b"forward")
        direction = direction.decode() if isinstance(direction, bytes) else direction
        names = ["forward", "reverse"] if direction == "bidirectional" else [None]
        for which, slot, role in [("W", 1, "recurrent-input"), ("R", 2, "recurrent-hidden")]:
            c = scope.constant(node.input[slot]) if len(node.input) > slot else None
            if c is None or not onnx_float(c[1]):
                continue
            tensor, a = c
            if attrs.get("layout", 0) == 1:
                a = np.transpose(a, (1, 0, 2))
            for d, dname in enumerate(names):
                for g, gate in enumerate(gates):
                    name = f"{label}.{which}" + ("" if dname is None else f".{dname}") + ("" if gate is None else f".{gate}")
                    mats.append(matrix(name, tensor, role, node.op_type, a[d, g * hidden:(g + 1) * hidden, :]))

    def dense(node, name, tensor, a, left):
        """A constant MatMul/Gemm operand: W = Aᵀ·… on the right (y = h·B, so W = Bᵀ), W = A on the left."""
        if a.ndim < 2:
            return
        if a.ndim == 2:
            mats.append(matrix(name, tensor, "dense", node.op_type, a if left else a.T))
            return
        flat = a.reshape((-1,) + a.shape[-2:])
        for i in range(flat.shape[0]):
            mats.append(matrix(f"{name}[{i}]", tensor, "dense", node.op_type, flat[i] if left else flat[i].T))

    def walk(graph, parent, prefix):
        scope = OnnxScope(graph, parent)
        for index, node in enumerate(graph.node):
            op = node.op_type
            label = prefix + (node.name or f"{op}_{index}")
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute if a.type not in SUBGRAPH_OPS}
            const = lambda i: scope.constant(node.input[i]) if len(node.input) > i else None  # noqa: E731
            if op == "Conv":
                c = const(1)
                if c is not None and onnx_float(c[1]) and c[1].ndim >= 3:
                    mats.append(matrix(label, c[0], "conv", op, c[1].reshape(c[1].shape[0], -1)))
            elif op == "ConvTranspose":
                c = const(1)
                if c is not None and onnx_float(c[1]) and c[1].ndim >= 3:
                    a = c[1]  # C_in × C_out/groups × k…
                    mats.append(matrix(label, c[0], "conv-transpose", op, a.reshape(a.shape[0], -1).T))
            elif op == "Gemm":
                a, b = const(0), const(1)
                if b is not None and a is None and onnx_float(b[1]):
                    w = b[1].T if attrs.get("transB", 0) else b[1]
                    mats.append(matrix(label, b[0], "dense", op, w.T))
                elif a is not None and b is None and onnx_float(a[1]):
                    w = a[1].T if attrs.get("transA", 0) else a[1]
                    mats.append(matrix(label, a[0], "dense", op, w))
            elif op == "MatMul":
                a, b = const(0), const(1)
                if b is not None and a is None and onnx_float(b[1]):
                    dense(node, label, b[0], b[1], left=False)
                elif a is not None and b is None and onnx_float(a[1]):
                    dense(node, label, a[0], a[1], left=True)
            elif op == "Gather":
                c = const(0)
                if c is not None and onnx_float(c[1]) and c[1].ndim == 2 and attrs.get("axis", 0) == 0 and const(1) is None:
                    mats.append(matrix(label, c[0], "embedding", op, c[1].T))
            elif op in ("LSTM", "GRU", "RNN"):
                recurrent(node, label, scope, attrs)
            elif op in ("Einsum", "QLinearMatMul", "QLinearConv", "MatMulInteger", "ConvInteger"):
                raise NotImplementedError(f"{path}: {op} is not read by this reference")
            for a in node.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    walk(a.g, scope, f"{label}/{a.name}/")
                elif a.type == onnx.AttributeProto.GRAPHS:
                    for i, g in enumerate(a.graphs):
                        walk(g, scope, f"{label}/{a.name}[{i}]/")

    walk(model.graph, None, "")
    producer = f"{model.producer_name} {model.producer_version}".strip() or None
    return producer, mats


# ------------------------------------------------------------------------------------------------ TF.js
TFJS_DTYPES = {"float32": np.float32, "int32": np.int32, "bool": np.bool_, "float16": np.float16, "uint8": np.uint8, "uint16": np.uint16, "int8": np.int8, "int16": np.int16}


def tfjs_weights(model_json_path, manifest):
    """Every manifest weight as a float64 (or integer) array, decoded and dequantized as tfjs-core does."""
    folder = os.path.dirname(model_json_path)
    out = {}
    for group in manifest:
        blob = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            shape = w["shape"]
            count = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            if w["dtype"] == "string":
                raise NotImplementedError(f"{model_json_path}: string weight {w['name']}")
            stored = TFJS_DTYPES[q["dtype"]] if q else TFJS_DTYPES[w["dtype"]]
            size = count * np.dtype(stored).itemsize
            raw = np.frombuffer(blob[offset:offset + size], dtype=np.dtype(stored).newbyteorder("<"))
            offset += size
            if q is None:
                a = raw.astype(np.float64) if w["dtype"].startswith("float") else raw.copy()
            elif q["dtype"] == "float16":
                a = raw.astype(np.float64)
            else:  # affine uint8/uint16: value = q · scale + min
                a = raw.astype(np.float64) * float(q["scale"]) + float(q["min"])
                if w["dtype"] == "int32":
                    a = np.round(a)
            out[w["name"]] = a.reshape(shape)
    return out


def conv_matrix(kernel):
    """HWIO (k… × C_in × C_out) kernel: C_out × (C_in · k…)."""
    k = np.moveaxis(kernel, -1, 0)
    return k.reshape(k.shape[0], -1)


def depthwise_matrix(kernel):
    """k… × C_in × multiplier: groups = C_in, so (C_in · multiplier) × k…."""
    k = np.moveaxis(kernel.reshape(kernel.shape[:-2] + (-1,)), -1, 0)
    return k.reshape(k.shape[0], -1)


def tfjs_layers_matrices(path):
    doc = json.load(open(path))
    weights = tfjs_weights(path, doc["weightsManifest"])
    topo = doc["modelTopology"]
    config = topo.get("model_config", topo)
    mats = []

    def layers_of(cfg):
        for layer in cfg["config"]["layers"] if isinstance(cfg["config"], dict) else cfg["config"]:
            if layer["class_name"] in ("Sequential", "Functional", "Model"):
                yield from layers_of(layer)
            else:
                yield layer

    by_layer = {}
    for name in weights:
        layer, _, var = name.rpartition("/")
        by_layer.setdefault(layer.split("/")[-1], {})[var] = name
    for layer in layers_of(config):
        cls, lname = layer["class_name"], layer["config"]["name"]
        vars_ = by_layer.get(lname, {})
        get = lambda v: (vars_[v], weights[vars_[v]]) if v in vars_ else None  # noqa: E731
        if cls == "Dense":
            t, k = get("kernel")
            mats.append(matrix(lname, t, "dense", cls, k.T))
        elif cls in ("Conv1D", "Conv2D", "Conv3D"):
            t, k = get("kernel")
            mats.append(matrix(lname, t, "conv", cls, conv_matrix(k)))
        elif cls == "DepthwiseConv2D":
            t, k = get("depthwise_kernel")
            mats.append(matrix(lname, t, "conv", cls, depthwise_matrix(k)))
        elif cls in ("Conv2DTranspose", "Conv3DTranspose"):
            t, k = get("kernel")  # k… × C_out × C_in
            k2 = np.moveaxis(k, -1, 0)
            mats.append(matrix(lname, t, "conv-transpose", cls, k2.reshape(k2.shape[0], -1).T))
        elif cls == "Embedding":
            t, k = get("embeddings")
            mats.append(matrix(lname, t, "embedding", cls, k.T))
        elif cls in ("SeparableConv2D", "SeparableConv1D", "LSTM", "GRU", "SimpleRNN", "Bidirectional", "TimeDistributed"):
            raise NotImplementedError(f"{path}: layer class {cls} is not read by this reference")
    return (" / ".join(x for x in [doc.get("generatedBy"), doc.get("convertedBy")] if x) or None), mats


GRAPH_CONV = {"Conv2D", "_FusedConv2D", "Conv3D", "Conv1D"}
GRAPH_DEPTHWISE = {"DepthwiseConv2dNative", "FusedDepthwiseConv2dNative"}
GRAPH_MATMUL = {"MatMul", "_FusedMatMul", "BatchMatMul", "BatchMatMulV2"}


def tfjs_graph_matrices(path):
    doc = json.load(open(path))
    weights = tfjs_weights(path, doc["weightsManifest"])
    topo = doc["modelTopology"]
    nodes = list(topo.get("node", []))
    if topo.get("library", {}).get("function"):
        raise NotImplementedError(f"{path}: graph functions are not read by this reference")
    by_name = {n["name"]: n for n in nodes}
    mats = []

    def const(ref):
        """(weight name, array) of a float Const input, seen through Identity."""
        name = ref.lstrip("^").split(":")[0]
        node = by_name.get(name)
        while node is not None and node["op"] == "Identity":
            name = node["input"][0].lstrip("^").split(":")[0]
            node = by_name.get(name)
        if node is None or node["op"] != "Const" or name not in weights:
            return None
        a = weights[name]
        return (name, a) if a.dtype.kind == "f" else None

    def flag(node, key):
        return bool(node.get("attr", {}).get(key, {}).get("b", False))

    for node in nodes:
        op, ins = node["op"], [i for i in node.get("input", []) if not i.startswith("^")]
        if op in GRAPH_CONV and len(ins) > 1:
            c = const(ins[1])
            if c is not None:
                mats.append(matrix(node["name"], c[0], "conv", op, conv_matrix(c[1])))
        elif op in GRAPH_DEPTHWISE and len(ins) > 1:
            c = const(ins[1])
            if c is not None:
                mats.append(matrix(node["name"], c[0], "conv", op, depthwise_matrix(c[1])))
        elif op == "Conv2DBackpropInput" and len(ins) > 2:
            c = const(ins[1])  # k… × C_out × C_in
            if c is not None:
                k = np.moveaxis(c[1], -1, 0)
                mats.append(matrix(node["name"], c[0], "conv-transpose", op, k.reshape(k.shape[0], -1).T))
        elif op in GRAPH_MATMUL and len(ins) > 1:
            a, b = const(ins[0]), const(ins[1])
            ta = flag(node, "transpose_a") or flag(node, "adj_x")
            tb = flag(node, "transpose_b") or flag(node, "adj_y")
            if b is not None and a is None and b[1].ndim == 2:
                w = b[1].T if tb else b[1]  # in × out
                mats.append(matrix(node["name"], b[0], "dense", op, w.T))
            elif a is not None and b is None and a[1].ndim == 2:
                w = a[1].T if ta else a[1]
                mats.append(matrix(node["name"], a[0], "dense", op, w))
            elif (a is not None or b is not None) and (a if a is not None else b)[1].ndim > 2:
                raise NotImplementedError(f"{path}: batched constant {op} is not read by this reference")
        elif op in ("GatherV2", "ResourceGather", "Gather") and ins:
            c = const(ins[0])
            axis = weights.get(ins[2].split(":")[0]) if len(ins) > 2 else None
            if c is not None and c[1].ndim == 2 and (axis is None or int(np.ravel(axis)[0]) == 0):
                mats.append(matrix(node["name"], c[0], "embedding", op, c[1].T))
    return (" / ".join(x for x in [doc.get("generatedBy"), doc.get("convertedBy")] if x) or None), mats


# ------------------------------------------------------------------------------------------------ output
def g9(x):
    return float(f"{x:.9g}")


def summary(w):
    s = np.linalg.svd(w, compute_uv=False)
    out = {"count": int(s.size), "max": g9(s[0]) if s.size else 0.0, "sumSquares": g9(float(np.sum(w * w)))}
    if s.size <= FULL_LIMIT:
        out["values"] = [g9(x) for x in s]
    else:
        out["top"] = [g9(x) for x in s[:TOP]]
        out["bottom"] = [g9(x) for x in s[-BOTTOM:]]
    return out


def reference(entry, cache):
    path = cached_path(cache, entry, entry["path"])
    if not os.path.exists(path):
        raise FileNotFoundError(f"{entry['id']}: {path} is not cached; run node scripts/model-corpus/fetch.mjs")
    if sha256(path) != entry["sha256"]:
        raise ValueError(f"{entry['id']}: {path} does not have the sha256 in corpus.json")
    reader = {"onnx": onnx_matrices, "tfjs-layers": tfjs_layers_matrices, "tfjs-graph": tfjs_graph_matrices}[entry["format"]]
    producer, mats = reader(path)
    names = [m["name"] for m in mats]
    assert len(set(names)) == len(names), f"{entry['id']}: duplicate matrix names"
    return {
        "id": entry["id"],
        "package": entry["package"],
        "version": entry["version"],
        "path": entry["path"],
        "sha256": entry["sha256"],
        "format": entry["format"],
        "producer": producer,
        "madeBy": f"scripts/model-corpus/reference.py (numpy {np.__version__}, onnx {onnx.__version__})",
        "matrices": [{k: m[k] for k in ("name", "tensor", "role", "op", "rows", "cols")} | {"sigma": summary(m["w"])} for m in mats],
    }


def main(argv):
    cache = cache_dir(argv)
    wanted = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--cache")]
    corpus = json.load(open(os.path.join(HERE, "corpus.json")))["files"]
    os.makedirs(OUT, exist_ok=True)
    for entry in corpus:
        if wanted and entry["id"] not in wanted:
            continue
        ref = reference(entry, cache)
        with open(os.path.join(OUT, f"{entry['id']}.json"), "w") as f:
            json.dump(ref, f, indent=1)
            f.write("\n")
        roles = {}
        for m in ref["matrices"]:
            roles[m["role"]] = roles.get(m["role"], 0) + 1
        print(f"{entry['id']}: {len(ref['matrices'])} matrices {roles}")


if __name__ == "__main__":
    main(sys.argv[1:])
