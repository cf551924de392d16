#!/usr/bin/python3
"""Writes the ONNX fixtures of the ONNX weight reader (src/onnx/__fixtures__/) and a reference JSON per model.

Exported by torch.onnx.export: a 2-layer transformer encoder (d_model 16, nn.MultiheadAttention), an LSTM and a
bidirectional GRU, a ConvTranspose2d + grouped + depthwise conv net, an Embedding. Built with onnx.helper: a
quantized model (DequantizeLinear per axis, QLinearMatMul, MatMulInteger), an If with weights in both branches,
Einsum weights, and constant folding (Slice/Concat/Transpose chains, a weight computed at run time).

The expected matrices come from the PyTorch parameters (torch's own layouts: Linear out × in, LSTM gates i,f,g,o,
GRU gates r,z,n, ConvTranspose C_in × C_out/groups × k…) or from the numpy arrays the helper models are built from,
never from the ONNX graph the reader parses; ONNX node names are looked up by finding which node consumes a tensor
equal to the parameter. Singular values by numpy.linalg.svd in float64.

Run: /usr/bin/python3 packages/model-files/scripts/onnx-fixtures.py
"""
import io
import json
import os

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'onnx', '__fixtures__')
OPSET = 14


def sv(w):
    return np.linalg.svd(np.asarray(w, dtype=np.float64), compute_uv=False).tolist()


def entry(name, role, w):
    w = np.asarray(w, dtype=np.float64)
    return {'name': name, 'role': role, 'rows': int(w.shape[0]), 'cols': int(w.shape[1]), 'singularValues': sv(w)}


def write(stem, model_bytes, matrices, skipped, output_width, producer):
    with open(os.path.join(OUT, f'{stem}.onnx'), 'wb') as f:
        f.write(model_bytes)
    with open(os.path.join(OUT, f'{stem}.json'), 'w') as f:
        json.dump({'producer': producer, 'outputWidth': output_width, 'matrices': matrices, 'skipped': sorted(skipped)}, f, indent=1)
    print(f'{stem}: {len(model_bytes)} bytes, {len(matrices)} matrices, {len(skipped)} skipped')


def export(module, args, **kwargs):
    f = io.BytesIO()
    torch.onnx.export(module.eval(), args, f, opset_version=OPSET, do_constant_folding=True, **kwargs)
    return f.getvalue()


def stored_constants(model):
    """Every initializer and Constant-node value of the main graph: name → array."""
    out = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    for n in model.graph.node:
        if n.op_type == 'Constant':
            for a in n.attribute:
                if a.name == 'value':
                    out[n.output[0]] = numpy_helper.to_array(a.t)
                elif a.name in ('value_float', 'value_int', 'value_floats', 'value_ints'):
                    out[n.output[0]] = np.asarray(helper.get_attribute_value(a))
    return out


def consumer_of(model, array, ops):
    """(node name, stored tensor name) of the node of one of `ops` that takes a stored tensor equal to `array`."""
    stored = stored_constants(model)
    for n in model.graph.node:
        if n.op_type not in ops:
            continue
        for name in n.input:
            t = stored.get(name)
            if t is not None and t.shape == array.shape and np.array_equal(t, array):
                return n.name, name
    raise SystemExit(f'no {ops} node takes a tensor of shape {array.shape} equal to the parameter')


def randomize(module):
    # Fresh values for every parameter, so no two tensors are equal (torch would share equal initializers).
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p) * 0.5)


def torch_models():
    torch.manual_seed(0)

    # Transformer encoder: 2 layers, d_model 16, 2 heads, FFN 32.
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, dropout=0.0, batch_first=True), 2, enable_nested_tensor=False)
    randomize(enc)
    data = export(enc, torch.randn(1, 5, 16), input_names=['x'], output_names=['y'], dynamic_axes={'x': {0: 'N', 1: 'S'}})
    model = onnx.load_from_string(data)
    matrices, used = [], set()
    for i, layer in enumerate(enc.layers):
        for p, ops in [(layer.self_attn.in_proj_weight, ('MatMul', 'Gemm')), (layer.self_attn.out_proj.weight, ('MatMul', 'Gemm')), (layer.linear1.weight, ('MatMul', 'Gemm')), (layer.linear2.weight, ('MatMul', 'Gemm'))]:
            w = p.detach().numpy().astype(np.float64)
            # Linear: z = W·h with W out × in; the ONNX file keeps W (Gemm transB=1) or Wᵀ (MatMul).
            try:
                node, tensor = consumer_of(model, p.detach().numpy(), ops)
            except SystemExit:
                node, tensor = consumer_of(model, p.detach().numpy().T.copy(), ops)
            matrices.append(entry(node, 'dense', w))
            used.add(tensor)
    skipped = [k for k in stored_constants(model) if k not in used]
    write('transformer', data, matrices, skipped, None, f'{model.producer_name} {model.producer_version}')

    # Recurrent: an LSTM (hidden 6) then a bidirectional GRU (hidden 5).
    class Recurrent(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(4, 6, batch_first=True)
            self.gru = nn.GRU(6, 5, batch_first=True, bidirectional=True)

        def forward(self, x):
            y, _ = self.lstm(x)
            z, _ = self.gru(y)
            return z

    rec = Recurrent()
    randomize(rec)
    data = export(rec, torch.randn(2, 7, 4), input_names=['x'], output_names=['y'])
    model = onnx.load_from_string(data)
    node_of = {op: [n.name for n in model.graph.node if n.op_type == op] for op in ('LSTM', 'GRU')}
    assert len(node_of['LSTM']) == 1 and len(node_of['GRU']) == 1, node_of
    matrices = []
    # torch gate blocks: LSTM i, f, g(=c), o; GRU r, z, n(=h).
    for op, module, hidden, blocks in [('LSTM', rec.lstm, 6, {'i': 0, 'f': 1, 'c': 2, 'o': 3}), ('GRU', rec.gru, 5, {'r': 0, 'z': 1, 'h': 2})]:
        node = node_of[op][0]
        directions = [('', '')] + ([('_reverse', '.reverse')] if module.bidirectional else [])
        for suffix, infix in directions:
            for kind, param in [('W', f'weight_ih_l0{suffix}'), ('R', f'weight_hh_l0{suffix}')]:
                p = getattr(module, param).detach().numpy().astype(np.float64)
                for gate, b in blocks.items():
                    matrices.append(entry(f'{node}{infix}.{kind}.{gate}', 'recurrent-input' if kind == 'W' else 'recurrent-hidden', p[b * hidden:(b + 1) * hidden]))
    # torch stores the gate-reordered W, R and B as initializers; W and R become matrices.
    used = {n.input[k] for n in model.graph.node if n.op_type in ('LSTM', 'GRU') for k in (1, 2)}
    skipped = [k for k in stored_constants(model) if k not in used]
    write('recurrent', data, matrices, skipped, None, f'{model.producer_name} {model.producer_version}')

    # Convolutions: a ConvTranspose2d, a grouped Conv2d, a depthwise Conv2d, a Conv1d after a reshape.
    class Convs(nn.Module):
        def __init__(self):
            super().__init__()
            self.up = nn.ConvTranspose2d(4, 6, 3, stride=2)
            self.grouped = nn.Conv2d(6, 8, 3, groups=2)
            self.depthwise = nn.Conv2d(8, 8, 3, groups=8, bias=False)
            self.up_grouped = nn.ConvTranspose2d(8, 4, 2, groups=2)

        def forward(self, x):
            return self.up_grouped(self.depthwise(self.grouped(self.up(x))))

    convs = Convs()
    randomize(convs)
    data = export(convs, torch.randn(1, 4, 5, 5), input_names=['x'], output_names=['y'])
    model = onnx.load_from_string(data)
    matrices, used = [], set()
    for module, op in [(convs.up, 'ConvTranspose'), (convs.grouped, 'Conv'), (convs.depthwise, 'Conv'), (convs.up_grouped, 'ConvTranspose')]:
        p = module.weight.detach().numpy()
        node, tensor = consumer_of(model, p, (op,))
        used.add(tensor)
        if op == 'Conv':
            matrices.append(entry(node, 'conv', p.reshape(p.shape[0], -1)))
        else:
            # torch ConvTranspose weight is C_in × C_out/groups × k…: the map from C_in is (C_out/groups·k…) × C_in.
            matrices.append(entry(node, 'conv-transpose', p.reshape(p.shape[0], -1).T))
    skipped = [k for k in stored_constants(model) if k not in used]
    write('conv-net', data, matrices, skipped, None, f'{model.producer_name} {model.producer_version}')

    # Embedding (vocab 11, dim 6) followed by a Linear head of 3 classes and a Softmax.
    class Embed(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(11, 6)
            self.head = nn.Linear(6, 3)

        def forward(self, ids):
            return torch.softmax(self.head(self.embed(ids)), dim=-1)

    emb = Embed()
    randomize(emb)
    data = export(emb, torch.tensor([[1, 2, 3]]), input_names=['ids'], output_names=['p'])
    model = onnx.load_from_string(data)
    node_e, t_e = consumer_of(model, emb.embed.weight.detach().numpy(), ('Gather',))
    head = emb.head.weight.detach().numpy()
    try:
        node_h, t_h = consumer_of(model, head, ('Gemm', 'MatMul'))
    except SystemExit:
        node_h, t_h = consumer_of(model, head.T.copy(), ('Gemm', 'MatMul'))
    matrices = [entry(node_e, 'embedding', emb.embed.weight.detach().numpy().T), entry(node_h, 'dense', head)]
    skipped = [k for k in stored_constants(model) if k not in (t_e, t_h)]
    write('embedding', data, matrices, skipped, 3, f'{model.producer_name} {model.producer_version}')


def value_info(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def save(stem, graph, matrices, skipped, output_width, opset=OPSET):
    model = helper.make_model(graph, producer_name='onnx-fixtures', producer_version='1', opset_imports=[helper.make_opsetid('', opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    write(stem, model.SerializeToString(), matrices, skipped, output_width, 'onnx-fixtures 1')


def helper_models():
    rng = np.random.default_rng(1)

    # Quantized: DequantizeLinear (per-axis int8, axis 1) → MatMul; QLinearMatMul (per-column uint8 b);
    # MatMulInteger with a per-column zero point.
    K, N, M2, M3 = 6, 5, 4, 3
    q1 = rng.integers(-100, 100, size=(K, N), dtype=np.int8)
    s1 = rng.uniform(0.01, 0.1, size=N).astype(np.float32)
    z1 = rng.integers(-5, 5, size=N, dtype=np.int8)
    q2 = rng.integers(0, 255, size=(N, M2), dtype=np.uint8)
    s2 = rng.uniform(0.01, 0.1, size=M2).astype(np.float32)
    z2 = rng.integers(100, 150, size=M2, dtype=np.uint8)
    q3 = rng.integers(0, 255, size=(M2, M3), dtype=np.uint8)
    z3 = rng.integers(100, 150, size=M3, dtype=np.uint8)
    init = [
        numpy_helper.from_array(q1, 'w1_q'), numpy_helper.from_array(s1, 'w1_scale'), numpy_helper.from_array(z1, 'w1_zero'),
        numpy_helper.from_array(np.float32(0.05), 'x_scale'), numpy_helper.from_array(np.uint8(128), 'x_zero'),
        numpy_helper.from_array(q2, 'w2_q'), numpy_helper.from_array(s2, 'w2_scale'), numpy_helper.from_array(z2, 'w2_zero'),
        numpy_helper.from_array(np.float32(0.1), 'y_scale'), numpy_helper.from_array(np.uint8(128), 'y_zero'),
        numpy_helper.from_array(q3, 'w3_q'), numpy_helper.from_array(z3, 'w3_zero'),
    ]
    nodes = [
        helper.make_node('DequantizeLinear', ['w1_q', 'w1_scale', 'w1_zero'], ['w1'], name='dequant_w1', axis=1),
        helper.make_node('MatMul', ['x', 'w1'], ['h1'], name='dense1'),
        helper.make_node('QuantizeLinear', ['h1', 'x_scale', 'x_zero'], ['h1_q'], name='quant_h1'),
        helper.make_node('QLinearMatMul', ['h1_q', 'x_scale', 'x_zero', 'w2_q', 'w2_scale', 'w2_zero', 'y_scale', 'y_zero'], ['h2_q'], name='qdense2'),
        helper.make_node('MatMulInteger', ['h2_q', 'w3_q', 'y_zero', 'w3_zero'], ['h3'], name='idense3'),
        helper.make_node('Cast', ['h3'], ['y'], name='to_float', to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(nodes, 'quantized', [value_info('x', TensorProto.FLOAT, ['N', K])], [value_info('y', TensorProto.FLOAT, ['N', M3])], init)
    # Runtime semantics: DequantizeLinear (q − zero)·scale along axis 1 (the N columns); QLinearMatMul b real
    # value (b − b_zero)·b_scale per column; MatMulInteger (B − b_zero) per column, no scale.
    w1 = (q1.astype(np.float64) - z1.astype(np.float64)[None, :]) * s1.astype(np.float64)[None, :]
    w2 = (q2.astype(np.float64) - z2.astype(np.float64)[None, :]) * s2.astype(np.float64)[None, :]
    w3 = q3.astype(np.float64) - z3.astype(np.float64)[None, :]
    matrices = [entry('dense1', 'dense', w1.T), entry('qdense2', 'dense', w2.T), entry('idense3', 'dense', w3.T)]
    skipped = ['w1_scale', 'w1_zero', 'x_scale', 'x_zero', 'w2_scale', 'w2_zero', 'y_scale', 'y_zero', 'w3_zero']
    save('quantized', graph, matrices, skipped, M3)

    # If: then_branch has its own weight (an initializer of the branch) and a Constant-node weight;
    # else_branch uses a weight of the main graph through a Transpose.
    a = rng.standard_normal((4, 3)).astype(np.float32)
    b = rng.standard_normal((3, 4)).astype(np.float32)
    c = rng.standard_normal((3, 4)).astype(np.float32)
    then_graph = helper.make_graph(
        [helper.make_node('Constant', [], ['b_const'], name='b_value', value=numpy_helper.from_array(b, 'b_value')),
         helper.make_node('MatMul', ['x', 'a_then'], ['t1'], name='first'),
         helper.make_node('Gemm', ['t1', 'b_const'], ['t2'], name='second', transB=1)],
        'then', [], [value_info('t2', TensorProto.FLOAT, ['N', 4])], [numpy_helper.from_array(a, 'a_then')])
    else_graph = helper.make_graph(
        [helper.make_node('Transpose', ['c_outer'], ['c_t'], name='transpose_c', perm=[1, 0]),
         helper.make_node('MatMul', ['x', 'c_t'], ['e1'], name='only')],
        'else', [], [value_info('e1', TensorProto.FLOAT, ['N', 4])])
    graph = helper.make_graph(
        [helper.make_node('If', ['cond'], ['y'], name='If_3', then_branch=then_graph, else_branch=else_graph)],
        'if-branches', [value_info('cond', TensorProto.BOOL, []), value_info('x', TensorProto.FLOAT, ['N', 4])], [value_info('y', TensorProto.FLOAT, ['N', 4])],
        [numpy_helper.from_array(c, 'c_outer')])
    # MatMul x·A: W = Aᵀ; Gemm transB=1 with B (out × in): W = B; MatMul x·Cᵀ: W = C.
    matrices = [entry('If_3/then_branch/first', 'dense', a.T), entry('If_3/then_branch/second', 'dense', b), entry('If_3/else_branch/only', 'dense', c)]
    save('if-branches', graph, matrices, [], None)

    # Einsum: "bsd,ed->bse" (W e × d as stored), "bsd,dhe->bshe" (rows h·e, columns d), "bhd,hde->bhe"
    # (one e × d matrix per head h), "bd,df->bf" with the constant on the left side of the list of operands.
    w_a = rng.standard_normal((5, 4)).astype(np.float32)
    w_b = rng.standard_normal((5, 2, 3)).astype(np.float32)
    w_c = rng.standard_normal((2, 3, 4)).astype(np.float32)
    w_d = rng.standard_normal((8, 6)).astype(np.float32)
    nodes = [
        helper.make_node('Einsum', ['x', 'w_a'], ['y_a'], name='proj_a', equation='bsd,ed->bse'),
        helper.make_node('Einsum', ['y_a', 'w_b'], ['y_b'], name='proj_b', equation='bsd,dhe->bshe'),
        helper.make_node('Reshape', ['y_b', 'shape_bhd'], ['y_r'], name='to_heads'),
        helper.make_node('Einsum', ['y_r', 'w_c'], ['y_c'], name='per_head', equation='bhd,hde->bhe'),
        helper.make_node('Einsum', ['w_d', 'y_flat'], ['y_d'], name='left', equation='df,bd->bf'),
        helper.make_node('Flatten', ['y_c'], ['y_flat'], name='flatten', axis=1),
        helper.make_node('Einsum', ['y_d', 'y_d'], ['gram'], name='activations_only', equation='bf,cf->bc'),
    ]
    # Flatten comes after its consumer in the list above: move it before (graphs are topologically sorted).
    nodes = nodes[:4] + [nodes[5], nodes[4], nodes[6]]
    graph = helper.make_graph(nodes, 'einsum', [value_info('x', TensorProto.FLOAT, ['N', 7, 4])], [value_info('gram', TensorProto.FLOAT, ['N', 'N'])],
                              [numpy_helper.from_array(w_a, 'w_a'), numpy_helper.from_array(w_b, 'w_b'), numpy_helper.from_array(np.array([-1, 2, 3], dtype=np.int64), 'shape_bhd'),
                               numpy_helper.from_array(w_c, 'w_c'), numpy_helper.from_array(w_d, 'w_d')])
    matrices = [entry('proj_a', 'einsum', w_a), entry('proj_b', 'einsum', w_b.reshape(5, 6).T)]
    matrices += [entry(f'per_head[{h}]', 'einsum', w_c[h].T) for h in range(2)]
    matrices.append(entry('left', 'einsum', w_d.T))
    save('einsum', graph, matrices, ['shape_bhd'], None, opset=12)

    # Folding: W = Concat(Slice(P), Q) along axis 0, Transposed, into a Gemm; a MatMul whose weight is P·2 (Mul, not
    # folded: computed at run time); a MatMul of two activations (not listed); a bias through Reshape into an Add.
    p = rng.standard_normal((5, 3)).astype(np.float32)
    q = rng.standard_normal((2, 3)).astype(np.float32)
    r = rng.standard_normal((4, 4)).astype(np.float32)
    bias = rng.standard_normal(4).astype(np.float32)
    i64 = lambda name, v: numpy_helper.from_array(np.array(v, dtype=np.int64), name)
    nodes = [
        helper.make_node('Slice', ['p', 'starts', 'ends', 'axes', 'steps'], ['p_sliced'], name='slice_p'),
        helper.make_node('Concat', ['p_sliced', 'q'], ['pq'], name='concat_pq', axis=0),
        helper.make_node('Transpose', ['pq'], ['pq_t'], name='transpose_pq', perm=[1, 0]),
        helper.make_node('Unsqueeze', ['pq_t', 'axes0'], ['pq_u'], name='unsqueeze_pq'),
        helper.make_node('Squeeze', ['pq_u', 'axes0'], ['pq_s'], name='squeeze_pq'),
        helper.make_node('MatMul', ['x', 'pq_s'], ['h'], name='folded'),
        helper.make_node('Mul', ['r', 'two'], ['r2'], name='scale_r'),
        helper.make_node('MatMul', ['h', 'r2'], ['h2'], name='runtime_weight'),
        helper.make_node('Reshape', ['bias', 'shape_bias'], ['bias_r'], name='reshape_bias'),
        helper.make_node('Add', ['h2', 'bias_r'], ['h3'], name='add_bias'),
        helper.make_node('Transpose', ['h3'], ['h3_t'], name='transpose_h3', perm=[1, 0]),
        helper.make_node('MatMul', ['h3', 'h3_t'], ['y'], name='gram'),
    ]
    graph = helper.make_graph(nodes, 'folding', [value_info('x', TensorProto.FLOAT, ['N', 3])], [value_info('y', TensorProto.FLOAT, ['N', 'N'])],
                              [numpy_helper.from_array(p, 'p'), numpy_helper.from_array(q, 'q'), i64('starts', [4]), i64('ends', [0]), i64('axes', [0]), i64('steps', [-2]),
                               i64('axes0', [0]), numpy_helper.from_array(r, 'r'), numpy_helper.from_array(np.float32(2), 'two'),
                               numpy_helper.from_array(bias, 'bias'), i64('shape_bias', [1, 4])])
    # Slice rows 4, 2 (start 4, end 0 exclusive, step −2) of P, then Q below: pq is 4 × 3; x·pqᵀ... the
    # MatMul weight is pq_t (3 × 4), so W = pq_tᵀ = pq.
    pq = np.concatenate([p[4:0:-2], q], axis=0)
    matrices = [entry('folded', 'dense', pq)]
    skipped = ['starts', 'ends', 'axes', 'steps', 'axes0', 'r', 'two', 'bias', 'shape_bias', 'runtime_weight']
    save('folding', graph, matrices, skipped, None)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    torch_models()
    helper_models()
