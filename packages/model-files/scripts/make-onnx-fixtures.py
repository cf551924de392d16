"""Writes the ONNX weight-reader fixtures (src/onnx/__fixtures__) and the matrices each one must yield.

Run with Debian's /usr/bin/python3 (python3-torch 1.13, python3-onnx, python3-numpy):
    /usr/bin/python3 scripts/make-onnx-fixtures.py
Each model <name>.onnx comes with <name>.json: producer, outputWidth, the matrices expected (name, tensor,
role, op, rows, cols and the row-major values, z = W·h) and the names of the tensors expected to be skipped.
The expected matrices are taken from the PyTorch modules' own parameters or the numpy arrays the graphs were
built from, in the layout the reader promises (rows = outputs), never from the ONNX files themselves; the
ONNX files are looked at only to learn the names the exporter gave to nodes and tensors.
The bad-*.onnx files are malformed on purpose (the reader must refuse them with a clear message).
"""
import io
import json
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "onnx", "__fixtures__")
RNG = np.random.default_rng(20260412)


def matrix(name, tensor, role, op, w):
    w = np.asarray(w)
    assert w.ndim == 2
    values = w.astype(np.float64).ravel().tolist()
    return {"name": name, "tensor": tensor, "role": role, "op": op, "rows": int(w.shape[0]), "cols": int(w.shape[1]), "data": values}


def write(name, model_bytes, expected):
    with open(os.path.join(OUT, f"{name}.onnx"), "wb") as f:
        f.write(model_bytes)
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


def export(module, args, opset, dynamic):
    f = io.BytesIO()
    torch.onnx.export(module.eval(), args, f, opset_version=opset, input_names=["x"], output_names=["y"], dynamic_axes=dynamic)
    return f.getvalue()


def node_by_name(model_bytes, name):
    for node in onnx.load_from_string(model_bytes).graph.node:
        if node.name == name:
            return node
    raise KeyError(f"no node {name}")


def producer(model_bytes):
    m = onnx.load_from_string(model_bytes)
    return f"{m.producer_name} {m.producer_version}".strip() or None


def t(p):
    return p.detach().numpy().astype(np.float64)


# ---------------------------------------------------------------- PyTorch: dense layers (Gemm, bias-free MatMul)
class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(12, 8)
        self.fc2 = torch.nn.Linear(8, 7, bias=False)
        self.fc3 = torch.nn.Linear(7, 5)

    def forward(self, x):
        return torch.log_softmax(self.fc3(torch.tanh(self.fc2(torch.relu(self.fc1(x))))), dim=1)


def torch_mlp():
    torch.manual_seed(1)
    m = Mlp()
    b = export(m, (torch.zeros(2, 12),), 13, {"x": {0: "batch"}})
    nodes = {"fc1": "/fc1/Gemm", "fc2": "/fc2/MatMul", "fc3": "/fc3/Gemm"}
    mats = [matrix(n, node_by_name(b, n).input[1], "dense", n.split("/")[-1], t(getattr(m, k).weight)) for k, n in nodes.items()]
    write("torch-mlp", b, {"producer": producer(b), "outputWidth": 5, "matrices": mats, "skipped": ["fc1.bias", "fc3.bias"]})


# ---------------------------------------------------------------- PyTorch: convolutions of every kind
class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)  # after the ReLU, so the exporter cannot fold it into conv1
        self.conv2 = torch.nn.Conv2d(4, 6, 3, padding=1, groups=2, bias=False)
        self.depthwise = torch.nn.Conv2d(6, 6, 3, padding=1, groups=6)
        self.up = torch.nn.ConvTranspose2d(6, 4, 2, stride=2, groups=2)
        self.conv3d = torch.nn.Conv3d(1, 2, (1, 2, 2))
        self.fc = torch.nn.Linear(2, 3)

    def forward(self, x):
        h = self.bn(torch.relu(self.conv1(x)))
        h = self.up(torch.relu(self.depthwise(self.conv2(h))))
        h = self.conv3d(h.mean(dim=1, keepdim=True).unsqueeze(1))
        return self.fc(h.mean(dim=(2, 3, 4)))


def torch_cnn():
    torch.manual_seed(2)
    m = Cnn()
    with torch.no_grad():
        m.bn.running_mean.copy_(torch.randn(4))
        m.bn.running_var.copy_(torch.rand(4) + 0.5)
    b = export(m, (torch.zeros(1, 3, 6, 6),), 13, {"x": {0: "batch"}})
    mats = []
    for k in ["conv1", "conv2", "depthwise", "conv3d"]:
        w = t(getattr(m, k).weight)
        name = f"/{k}/Conv"
        mats.append(matrix(name, node_by_name(b, name).input[1], "conv", "Conv", w.reshape(w.shape[0], -1)))
    w = t(m.up.weight)  # [C_in, C_out/groups, kH, kW]
    mats.append(matrix("/up/ConvTranspose", "up.weight", "conv-transpose", "ConvTranspose", w.reshape(w.shape[0], -1).T))
    mats.append(matrix("/fc/Gemm", "fc.weight", "dense", "Gemm", t(m.fc.weight)))
    skipped = ["conv1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "depthwise.bias", "up.bias", "conv3d.bias", "fc.bias"]
    write("torch-cnn", b, {"producer": producer(b), "outputWidth": 3, "matrices": mats, "skipped": skipped})


# ---------------------------------------------------------------- PyTorch: embedding, recurrent layers, einsum, batched MatMul
class Sequence(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(11, 6)
        self.lstm = torch.nn.LSTM(6, 5, bidirectional=True, batch_first=True)
        self.gru = torch.nn.GRU(10, 4, batch_first=True)
        self.rnn = torch.nn.RNN(4, 4, batch_first=True)
        self.heads = torch.nn.Parameter(torch.randn(2, 2, 3))  # [h, d, e]: per-head projections
        self.mix = torch.nn.Parameter(torch.randn(2, 3, 3))  # batched MatMul constant [h, e, f]
        self.proj = torch.nn.Parameter(torch.randn(5, 6))  # einsum "bf,cf->bc": 5 outputs from 6 features

    def forward(self, x):
        h, _ = self.lstm(self.emb(x))
        h, _ = self.gru(h)
        h, _ = self.rnn(h)
        last = h[:, -1].reshape(-1, 2, 2)  # [b, h, d]
        z = torch.einsum("bhd,hde->bhe", last, self.heads)
        z = torch.matmul(z.unsqueeze(2), self.mix).squeeze(2)  # [b, h, 1, e] · [h, e, f]
        return torch.einsum("bf,cf->bc", z.reshape(-1, 6), self.proj)


def torch_sequence():
    torch.manual_seed(3)
    m = Sequence()
    b = export(m, (torch.zeros(2, 7, dtype=torch.long),), 14, {"x": {0: "batch"}})
    mats = [matrix("/emb/Gather", "emb.weight", "embedding", "Gather", t(m.emb.weight).T)]

    def recurrent(node, module, gates, torch_order, directions):
        n = node_by_name(b, node)
        hidden = module.hidden_size
        out = []
        for which, slot, role in [("W", 1, "recurrent-input"), ("R", 2, "recurrent-hidden")]:
            for d, direction in enumerate(directions):
                suffix = "" if direction is None else f".{direction}"
                p = t(getattr(module, ("weight_ih_l0" if which == "W" else "weight_hh_l0") + ("_reverse" if direction == "reverse" else "")))
                for gate in gates:
                    g = torch_order.index(gate)  # PyTorch stacks the gates in its own order
                    name = f"{node}.{which}{suffix}" + ("" if gate is None else f".{gate}")
                    out.append(matrix(name, n.input[slot], role, n.op_type, p[g * hidden:(g + 1) * hidden]))
        return out

    # ONNX gate order (LSTM i o f c, GRU z r h); PyTorch's: LSTM i f g(=c) o, GRU r z n(=h).
    mats += recurrent("/lstm/LSTM", m.lstm, ["i", "o", "f", "c"], ["i", "f", "c", "o"], ["forward", "reverse"])
    mats += recurrent("/gru/GRU", m.gru, ["z", "r", "h"], ["r", "z", "h"], [None])
    mats += recurrent("/rnn/RNN", m.rnn, [None], [None], [None])
    einsums = [n.name for n in onnx.load_from_string(b).graph.node if n.op_type == "Einsum"]
    matmul = [n.name for n in onnx.load_from_string(b).graph.node if n.op_type == "MatMul"][0]
    heads = t(m.heads)
    for i in range(2):  # h is a batch label of "bhd,hde->bhe": one e × d matrix per head
        mats.append(matrix(f"{einsums[0]}[{i}]", "heads", "einsum", "Einsum", heads[i].T))
    mix = t(m.mix)
    for i in range(2):
        mats.append(matrix(f"{matmul}[{i}]", "mix", "dense", "MatMul", mix[i].T))
    mats.append(matrix(einsums[1], "proj", "einsum", "Einsum", t(m.proj)))
    skipped = [n.input[3] for n in onnx.load_from_string(b).graph.node if n.op_type in ("LSTM", "GRU", "RNN")]
    write("torch-sequence", b, {"producer": producer(b), "outputWidth": 5, "matrices": mats, "skipped": skipped})


# ---------------------------------------------------------------- onnx.helper: layouts, encodings, chains, quantization
def f32(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def helper_cases():
    inits, nodes, mats, skipped = [], [], [], []
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 6])

    # Gemm transB = 0: B is K × N, so W = Bᵀ.
    gemm_b = f32(6, 4)
    inits += [numpy_helper.from_array(gemm_b, "gemm_b"), numpy_helper.from_array(f32(4), "gemm_c")]
    nodes.append(helper.make_node("Gemm", ["x", "gemm_b", "gemm_c"], ["h1"], name="gemm_plain"))
    mats.append(matrix("gemm_plain", "gemm_b", "dense", "Gemm", gemm_b.T))
    skipped.append("gemm_c")

    # float16 weight of a MatMul (K × N = 4 × 4).
    half = f32(4, 4).astype(np.float16)
    inits.append(numpy_helper.from_array(half, "half_w"))
    nodes.append(helper.make_node("Cast", ["h1"], ["h1_16"], to=TensorProto.FLOAT16))
    nodes.append(helper.make_node("MatMul", ["h1_16", "half_w"], ["h2_16"], name="matmul_half"))
    nodes.append(helper.make_node("Cast", ["h2_16"], ["h2"], to=TensorProto.FLOAT))
    mats.append(matrix("matmul_half", "half_w", "dense", "MatMul", half.astype(np.float64).T))

    # bfloat16 weight (numpy has no bfloat16: the top 16 bits of float32, rounded to nearest even), read via Cast.
    full = f32(4, 4)
    bits = full.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    bf = helper.make_tensor("bf_w", TensorProto.BFLOAT16, [4, 4], rounded.tobytes(), raw=True)
    inits.append(bf)
    nodes.append(helper.make_node("Cast", ["bf_w"], ["bf_w_f32"], to=TensorProto.FLOAT))
    nodes.append(helper.make_node("MatMul", ["h2", "bf_w_f32"], ["h3"], name="matmul_bf16"))
    bf_values = (rounded.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    mats.append(matrix("matmul_bf16", "bf_w", "dense", "MatMul", bf_values.T))

    # Weight from a Constant node, transposed by a Transpose node before the MatMul.
    stored = f32(4, 4)  # [N, K] as stored; Transpose makes the K × N operand
    nodes.append(helper.make_node("Constant", [], ["const_w"], name="const_node", value=numpy_helper.from_array(stored, "const_value")))
    nodes.append(helper.make_node("Transpose", ["const_w"], ["const_wt"], perm=[1, 0]))
    nodes.append(helper.make_node("MatMul", ["h3", "const_wt"], ["h4"], name="matmul_const"))
    mats.append(matrix("matmul_const", "const_w", "dense", "MatMul", stored))

    # Flat weight reshaped by a constant int64 shape.
    flat = f32(20)
    inits += [numpy_helper.from_array(flat, "flat_w"), numpy_helper.from_array(np.array([4, 5], np.int64), "flat_shape")]
    nodes.append(helper.make_node("Reshape", ["flat_w", "flat_shape"], ["flat_2d"]))
    nodes.append(helper.make_node("MatMul", ["h4", "flat_2d"], ["h5"], name="matmul_reshaped"))
    mats.append(matrix("matmul_reshaped", "flat_w", "dense", "MatMul", flat.reshape(4, 5).T))
    skipped.append("flat_shape")

    # int8 weight dequantized per output column (axis 1 of the K × N operand).
    q = RNG.integers(-100, 100, (5, 3)).astype(np.int8)
    scale = (RNG.random(3) * 0.1 + 0.01).astype(np.float32)
    zero = np.array([3, -2, 0], np.int8)
    inits += [numpy_helper.from_array(q, "q_w"), numpy_helper.from_array(scale, "q_scale"), numpy_helper.from_array(zero, "q_zero")]
    nodes.append(helper.make_node("DequantizeLinear", ["q_w", "q_scale", "q_zero"], ["dq_w"], axis=1))
    nodes.append(helper.make_node("MatMul", ["h5", "dq_w"], ["h6"], name="matmul_int8"))
    dq = (q.astype(np.float64) - zero.astype(np.float64)) * scale.astype(np.float64)
    mats.append(matrix("matmul_int8", "q_w", "dense", "MatMul", dq.T))
    skipped += ["q_scale", "q_zero"]

    # Constant left operand: y = A · h for column vectors (z = W·h with W = A).
    left = f32(2, 3)
    inits.append(numpy_helper.from_array(left, "left_a"))
    nodes.append(helper.make_node("Transpose", ["h6"], ["h6t"], perm=[1, 0]))
    nodes.append(helper.make_node("MatMul", ["left_a", "h6t"], ["h7t"], name="matmul_left"))
    nodes.append(helper.make_node("Transpose", ["h7t"], ["h7"], perm=[1, 0]))
    mats.append(matrix("matmul_left", "left_a", "dense", "MatMul", left))

    # Tied weights: one table used as an embedding and, transposed, as the output layer.
    table = f32(9, 2)
    inits += [numpy_helper.from_array(table, "tied_table"), numpy_helper.from_array(np.array([1, 4], np.int64), "ids")]
    nodes.append(helper.make_node("Gather", ["tied_table", "ids"], ["looked_up"], name="embed"))
    nodes.append(helper.make_node("Transpose", ["tied_table"], ["tied_t"], perm=[1, 0]))
    nodes.append(helper.make_node("Add", ["h7", "h7"], ["h8"]))
    nodes.append(helper.make_node("MatMul", ["h8", "tied_t"], ["logits"], name="lm_head"))
    nodes.append(helper.make_node("Softmax", ["logits"], ["y"], axis=1))
    mats.append(matrix("embed", "tied_table", "embedding", "Gather", table.T))
    mats.append(matrix("lm_head", "tied_table", "dense", "MatMul", table))
    skipped.append("ids")

    # Quantized ops: QLinearMatMul (per-tensor scale), QLinearConv (per-output-channel scale).
    qb = RNG.integers(0, 255, (3, 2)).astype(np.uint8)
    qconv = RNG.integers(-90, 90, (2, 1, 3, 3)).astype(np.int8)
    conv_scale = np.array([0.02, 0.05], np.float32)
    inits += [
        numpy_helper.from_array(np.array(0.1, np.float32), "qa_scale"), numpy_helper.from_array(np.array(128, np.uint8), "qa_zero"),
        numpy_helper.from_array(qb, "qmm_b"), numpy_helper.from_array(np.array(0.03, np.float32), "qmm_b_scale"),
        numpy_helper.from_array(np.array(120, np.uint8), "qmm_b_zero"), numpy_helper.from_array(np.array(0.2, np.float32), "qy_scale"),
        numpy_helper.from_array(np.array(128, np.uint8), "qy_zero"),
        numpy_helper.from_array(np.array(0.1, np.float32), "qx_scale"), numpy_helper.from_array(np.array(0, np.int8), "qx_zero"),
        numpy_helper.from_array(qconv, "qconv_w"), numpy_helper.from_array(conv_scale, "qconv_scale"),
        numpy_helper.from_array(np.zeros(2, np.int8), "qconv_zero"), numpy_helper.from_array(np.array(0.1, np.float32), "qcy_scale"),
        numpy_helper.from_array(np.array(0, np.int8), "qcy_zero"),
    ]
    qa = helper.make_tensor_value_info("qa", TensorProto.UINT8, ["batch", 3])
    qx = helper.make_tensor_value_info("qx", TensorProto.INT8, [1, 1, 5, 5])
    nodes.append(helper.make_node("QLinearMatMul", ["qa", "qa_scale", "qa_zero", "qmm_b", "qmm_b_scale", "qmm_b_zero", "qy_scale", "qy_zero"], ["qy"], name="qlinear_matmul"))
    nodes.append(helper.make_node("QLinearConv", ["qx", "qx_scale", "qx_zero", "qconv_w", "qconv_scale", "qconv_zero", "qcy_scale", "qcy_zero"], ["qcy"], name="qlinear_conv"))
    mats.append(matrix("qlinear_matmul", "qmm_b", "dense", "QLinearMatMul", ((qb.astype(np.float64) - 120) * np.float64(np.float32(0.03))).T))
    dqc = (qconv.astype(np.float64)) * conv_scale.astype(np.float64)[:, None, None, None]
    mats.append(matrix("qlinear_conv", "qconv_w", "conv", "QLinearConv", dqc.reshape(2, -1)))
    skipped += ["qa_scale", "qa_zero", "qmm_b_scale", "qmm_b_zero", "qy_scale", "qy_zero", "qx_scale", "qx_zero", "qconv_scale", "qconv_zero", "qcy_scale", "qcy_zero"]

    # A double-precision branch: values kept in float64.
    wd = RNG.standard_normal((3, 2))
    inits.append(numpy_helper.from_array(wd, "double_w"))
    xd = helper.make_tensor_value_info("xd", TensorProto.DOUBLE, ["batch", 3])
    nodes.append(helper.make_node("MatMul", ["xd", "double_w"], ["yd"], name="matmul_double"))
    mats.append(matrix("matmul_double", "double_w", "dense", "MatMul", wd.T))

    # An initializer no node uses, and an LSTM peephole tensor (read by nobody else either).
    inits.append(numpy_helper.from_array(f32(3, 3), "unused_w"))
    skipped.append("unused_w")

    graph = helper.make_graph(nodes, "helper-cases", [x, qa, qx, xd], [
        helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 9]),
        helper.make_tensor_value_info("qy", TensorProto.UINT8, ["batch", 2]),
        helper.make_tensor_value_info("qcy", TensorProto.INT8, [1, 2, 3, 3]),
        helper.make_tensor_value_info("yd", TensorProto.DOUBLE, ["batch", 2]),
        helper.make_tensor_value_info("looked_up", TensorProto.FLOAT, [2, 2]),
    ], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make-onnx-fixtures", producer_version="1")
    onnx.checker.check_model(model)
    b = model.SerializeToString()
    write("helper-cases", b, {"producer": "make-onnx-fixtures 1", "outputWidth": 9, "matrices": mats, "skipped": skipped})


# ---------------------------------------------------------------- external data (two tensors in one side file)
def external_data():
    w1, w2 = f32(5, 4), f32(3, 5)
    nodes = [helper.make_node("Gemm", ["x", "w1"], ["h"], name="fc1", transB=1), helper.make_node("Gemm", ["h", "w2"], ["y"], name="fc2", transB=1)]
    graph = helper.make_graph(nodes, "external", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])],
                              initializer=[numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save_model(model, os.path.join(OUT, "external-data.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external-data.weights", size_threshold=0)
    expected = {"producer": None, "outputWidth": 3, "skipped": [],
                "matrices": [matrix("fc1", "w1", "dense", "Gemm", w1), matrix("fc2", "w2", "dense", "Gemm", w2)]}
    with open(os.path.join(OUT, "external-data.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- malformed files
def bad(name, weight, op="MatMul", extra_nodes=(), inputs=("x", "w")):
    nodes = [helper.make_node(op, list(inputs), ["y"], name="layer")] + list(extra_nodes)
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])], initializer=[weight])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    with open(os.path.join(OUT, f"{name}.onnx"), "wb") as f:
        f.write(model.SerializeToString())


def raw_tensor(name, dims, raw=None, floats=None):
    """A float TensorProto built field by field (onnx.helper.make_tensor would refuse the bad ones)."""
    t = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=dims)
    if raw is not None:
        t.raw_data = raw
    if floats is not None:
        t.float_data.extend(floats)
    return t


def malformed():
    # 10 bytes of raw data for a 3 × 3 float weight (36 expected).
    bad("bad-raw-length", raw_tensor("w", [3, 3], raw=b"\0" * 10))
    # A shape claiming 10^12 floats with 16 bytes of data: must be refused before anything of that size is allocated.
    bad("bad-huge-dims", raw_tensor("w", [1000000, 1000000], raw=b"\0" * 16))
    # 5 values in float_data for a 2 × 3 tensor.
    bad("bad-float-data-count", raw_tensor("w", [3, 2], floats=[1.0, 2, 3, 4, 5]))
    # External data outside the model's folder, and past the end of its file.
    for name, location, length in [("bad-external-outside", "../outside.weights", 36), ("bad-external-short", "bad-external-short.weights", 4 * 10**9)]:
        t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[3, 3] if length == 36 else [10**9, 1])
        t.data_location = TensorProto.EXTERNAL
        for k, v in [("location", location), ("offset", "0"), ("length", str(length))]:
            e = t.external_data.add()
            e.key, e.value = k, v
        bad(name, t)
    with open(os.path.join(OUT, "bad-external-short.weights"), "wb") as f:
        f.write(b"\0" * 64)
    # An LSTM whose W has 10 rows: not 4 gates × hidden_size 3.
    lstm_w = helper.make_tensor("w", TensorProto.FLOAT, [1, 10, 3], np.zeros(30, np.float32).tobytes(), raw=True)
    bad("bad-lstm-rows", lstm_w, op="LSTM", inputs=("x", "w", "r"),
        extra_nodes=[helper.make_node("Constant", [], ["r"], value=numpy_helper.from_array(np.zeros((1, 12, 3), np.float32), "r"))])
    # A convolution kernel of rank 2.
    bad("bad-conv-rank", helper.make_tensor("w", TensorProto.FLOAT, [3, 3], np.zeros(9, np.float32).tobytes(), raw=True), op="Conv")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch_mlp()
    torch_cnn()
    torch_sequence()
    helper_cases()
    external_data()
    malformed()
    print("wrote", sorted(os.listdir(OUT)))
