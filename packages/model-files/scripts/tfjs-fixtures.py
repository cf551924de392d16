#!/usr/bin/python3
"""Writes the TF.js fixtures of src/tfjs/__fixtures__/: model.json + weight shards, and expected.json with the
numpy reference of every matrix the readers must yield (name, role, rows, cols, singular values, the first
entries of row 0 and column 0) and every tensor they must skip.

The expected matrices are built here independently of the TypeScript readers: from the values as stored
(dequantized as tfjs-core does: q*scale + min in float64, then float32), with numpy transposes and reshapes into
the package's orientation (W is outputs x inputs). Run from anywhere: /usr/bin/python3 scripts/tfjs-fixtures.py
"""
import base64
import json
import os
import shutil

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', 'tfjs', '__fixtures__')


class Fixture:
    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.weights = []  # (spec, stored bytes)
        self.expected = []

    def tensor(self, name, shape, dtype='float32', quantization=None):
        """Adds a manifest weight of random values; returns the values as a reader must see them."""
        values = self.rng.standard_normal(shape).astype(np.float32)
        spec = {'name': name, 'shape': list(shape), 'dtype': dtype}
        if dtype == 'int32':
            values = self.rng.integers(-5, 50, size=shape).astype(np.int32)
            stored, seen = values.astype('<i4').tobytes(), values
        elif dtype == 'float16':
            half = values.astype('<f2')
            stored, seen = half.tobytes(), half.astype(np.float32)
        elif quantization in ('uint8', 'uint16'):
            top = 255 if quantization == 'uint8' else 65535
            lo, hi = float(values.min()), float(values.max())
            scale = (hi - lo) / top
            q = np.round((values.astype(np.float64) - lo) / scale).astype(np.uint8 if top == 255 else np.uint16)
            spec['quantization'] = {'dtype': quantization, 'scale': scale, 'min': lo, 'original_dtype': 'float32'}
            stored = q.astype('<u1' if top == 255 else '<u2').tobytes()
            seen = (q.astype(np.float64) * scale + lo).astype(np.float32)
        elif quantization == 'float16':
            half = values.astype('<f2')
            spec['quantization'] = {'dtype': 'float16', 'original_dtype': 'float32'}
            stored, seen = half.tobytes(), half.astype(np.float32)
        else:
            stored, seen = values.astype('<f4').tobytes(), values
        self.weights.append((spec, stored))
        return seen

    def matrix(self, name, tensor, role, op, W):
        W = np.asarray(W, dtype=np.float64)
        assert W.ndim == 2
        sv = np.linalg.svd(W, compute_uv=False) if W.size else np.zeros(0)
        self.expected.append({
            'kind': 'matrix', 'name': name, 'tensor': tensor, 'role': role, 'op': op,
            'rows': int(W.shape[0]), 'cols': int(W.shape[1]),
            'singularValues': [float(s) for s in sv],
            'row0': [float(v) for v in W[0, :4]], 'col0': [float(v) for v in W[:4, 0]],
        })

    def skipped(self, name, reason):
        """`reason`: a phrase the reader's reason must contain."""
        self.expected.append({'kind': 'skipped', 'name': name, 'reason': reason})

    def write(self, root, groups=None, shard_bytes=None, extra=None):
        """Writes model.json (root plus the manifest) and the shards; `groups` splits the weights (list of counts)."""
        folder = os.path.join(OUT, self.name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        counts = groups or [len(self.weights)]
        assert sum(counts) == len(self.weights)
        manifest, start = [], 0
        for g, count in enumerate(counts):
            chunk = self.weights[start:start + count]
            start += count
            data = b''.join(b for _, b in chunk)
            size = shard_bytes or max(len(data), 1)
            pieces = [data[i:i + size] for i in range(0, len(data), size)] or [b'']
            paths = []
            for s, piece in enumerate(pieces):
                path = f'group{g + 1}-shard{s + 1}of{len(pieces)}.bin'
                with open(os.path.join(folder, path), 'wb') as f:
                    f.write(piece)
                paths.append(path)
            manifest.append({'paths': paths, 'weights': [spec for spec, _ in chunk]})
        with open(os.path.join(folder, 'model.json'), 'w') as f:
            json.dump({**root, 'weightsManifest': manifest}, f, indent=1)
        with open(os.path.join(folder, 'expected.json'), 'w') as f:
            json.dump({**(extra or {}), 'items': self.expected}, f, indent=1)


def layer(class_name, name, inbound=None, **config):
    out = {'class_name': class_name, 'config': {'name': name, **config}, 'name': name}
    if inbound is not None:
        out['inbound_nodes'] = [[[i, 0, 0, {}] for i in inbound]] if inbound else []
    return out


def conv_rows(K):
    """Keras/TF conv kernel [k..., in, out] as out x (in * k...)."""
    r = K.ndim - 2
    return K.transpose(r + 1, r, *range(r)).reshape(K.shape[-1], -1)


def depthwise_rows(K):
    """Depthwise kernel [k..., in, mult] as (in * mult) x k..."""
    r = K.ndim - 2
    return K.transpose(r, r + 1, *range(r)).reshape(K.shape[r] * K.shape[r + 1], -1)


def transpose_rows(K):
    """Transposed conv kernel [k..., out, in] as (out * k...) x in."""
    r = K.ndim - 2
    return K.transpose(r, *range(r), r + 1).reshape(-1, K.shape[-1])


def gates(K, n):
    """Recurrent kernel [in, n * units] as n matrices units x in (Keras puts the gates side by side)."""
    units = K.shape[1] // n
    return [K[:, g * units:(g + 1) * units].T for g in range(n)]


def sequential_conv():
    """Sequential, tfjs-layers naming; conv kinds, batch norm, Dropout/Activation after the last Dense; one group cut into 1000-byte shards."""
    f = Fixture('layers-sequential-conv', 1)
    n = lambda cls, i=1: f'{cls.lower()}_{cls}{i}'
    K = f.tensor(f'{n("Conv2D")}/kernel', [3, 3, 3, 6])
    f.matrix(n('Conv2D'), f'{n("Conv2D")}/kernel', 'conv', 'Conv2D', conv_rows(K))
    f.tensor(f'{n("Conv2D")}/bias', [6]); f.skipped(f'{n("Conv2D")}/bias', 'bias of layer')
    bn = 'batch_normalization_BatchNormalization1'
    for w in ['gamma', 'beta', 'moving_mean', 'moving_variance']:
        f.tensor(f'{bn}/{w}', [6]); f.skipped(f'{bn}/{w}', f'{w} of layer')
    K = f.tensor(f'{n("Conv2D", 2)}/kernel', [3, 3, 3, 4])  # groups 2: C_in/groups = 3
    f.matrix(n('Conv2D', 2), f'{n("Conv2D", 2)}/kernel', 'conv', 'Conv2D', conv_rows(K))
    dw = 'depthwise_conv2d_DepthwiseConv2D1'
    K = f.tensor(f'{dw}/depthwise_kernel', [3, 3, 4, 2])
    f.matrix(dw, f'{dw}/depthwise_kernel', 'conv', 'DepthwiseConv2D', depthwise_rows(K))
    f.tensor(f'{dw}/bias', [8]); f.skipped(f'{dw}/bias', 'bias of layer')
    sep = 'separable_conv2d_SeparableConv2D1'
    K = f.tensor(f'{sep}/depthwise_kernel', [3, 3, 8, 1])
    f.matrix(f'{sep}.depthwise', f'{sep}/depthwise_kernel', 'conv', 'SeparableConv2D', depthwise_rows(K))
    K = f.tensor(f'{sep}/pointwise_kernel', [1, 1, 8, 5])
    f.matrix(f'{sep}.pointwise', f'{sep}/pointwise_kernel', 'conv', 'SeparableConv2D', conv_rows(K))
    f.tensor(f'{sep}/bias', [5]); f.skipped(f'{sep}/bias', 'bias of layer')
    tr = 'conv2d_transpose_Conv2DTranspose1'
    K = f.tensor(f'{tr}/kernel', [2, 2, 3, 5])
    f.matrix(tr, f'{tr}/kernel', 'conv-transpose', 'Conv2DTranspose', transpose_rows(K))
    f.tensor(f'{tr}/bias', [3]); f.skipped(f'{tr}/bias', 'bias of layer')
    K = f.tensor('dense_Dense1/kernel', [48, 7])
    f.matrix('dense_Dense1', 'dense_Dense1/kernel', 'dense', 'Dense', K.T)
    f.tensor('dense_Dense1/bias', [7]); f.skipped('dense_Dense1/bias', 'bias of layer')
    K = f.tensor('dense_Dense2/kernel', [7, 4])
    f.matrix('dense_Dense2', 'dense_Dense2/kernel', 'dense', 'Dense', K.T)
    layers = [
        layer('Conv2D', n('Conv2D'), filters=6, kernel_size=[3, 3], batch_input_shape=[None, 12, 12, 3], use_bias=True),
        layer('BatchNormalization', bn, axis=-1),
        layer('Conv2D', n('Conv2D', 2), filters=4, kernel_size=[3, 3], groups=2, use_bias=False),
        layer('DepthwiseConv2D', dw, kernel_size=[3, 3], depth_multiplier=2),
        layer('SeparableConv2D', sep, filters=5, kernel_size=[3, 3], depth_multiplier=1),
        layer('Conv2DTranspose', tr, filters=3, kernel_size=[2, 2]),
        layer('Flatten', 'flatten_Flatten1'),
        layer('Dense', 'dense_Dense1', units=7, activation='relu'),
        layer('Dropout', 'dropout_Dropout1', rate=0.5),
        layer('Dense', 'dense_Dense2', units=4, use_bias=False),
        layer('Activation', 'activation_Activation1', activation='softmax'),
    ]
    root = {'format': 'layers-model', 'generatedBy': 'TensorFlow.js tfjs-layers v4.22.0', 'convertedBy': None,
            'modelTopology': {'class_name': 'Sequential', 'config': {'name': 'sequential_1', 'layers': layers}, 'keras_version': 'tfjs-layers 4.22.0', 'backend': 'tensor_flow.js'}}
    f.write(root, shard_bytes=1000, extra={'producer': 'TensorFlow.js tfjs-layers v4.22.0', 'outputWidth': 4})


def functional_branches():
    """Functional model as tfjs-converter writes a Keras one (model_config wrapper, cell scopes, ':0'): two recurrent branches joined; two groups."""
    f = Fixture('layers-functional-branches', 2)
    E = f.tensor('embedding/embeddings', [50, 8])
    f.matrix('embedding', 'embedding/embeddings', 'embedding', 'Embedding', E.T)
    K = f.tensor('conv1d/kernel:0', [3, 8, 6])
    f.matrix('conv1d', 'conv1d/kernel:0', 'conv', 'Conv1D', conv_rows(K))
    f.tensor('conv1d/bias:0', [6]); f.skipped('conv1d/bias:0', 'bias of layer')
    K = f.tensor('lstm/lstm_cell/kernel', [6, 20])
    for g, W in zip('ifco', gates(K, 4)):
        f.matrix(f'lstm.W.{g}', 'lstm/lstm_cell/kernel', 'recurrent-input', 'LSTM', W)
    R = f.tensor('lstm/lstm_cell/recurrent_kernel', [5, 20])
    for g, W in zip('ifco', gates(R, 4)):
        f.matrix(f'lstm.R.{g}', 'lstm/lstm_cell/recurrent_kernel', 'recurrent-hidden', 'LSTM', W)
    f.tensor('lstm/lstm_cell/bias', [20]); f.skipped('lstm/lstm_cell/bias', 'bias of layer')
    K = f.tensor('gru/gru_cell/kernel', [6, 12])
    for g, W in zip('zrh', gates(K, 3)):
        f.matrix(f'gru.W.{g}', 'gru/gru_cell/kernel', 'recurrent-input', 'GRU', W)
    R = f.tensor('gru/gru_cell/recurrent_kernel', [4, 12])
    for g, W in zip('zrh', gates(R, 3)):
        f.matrix(f'gru.R.{g}', 'gru/gru_cell/recurrent_kernel', 'recurrent-hidden', 'GRU', W)
    f.tensor('gru/gru_cell/bias', [2, 12]); f.skipped('gru/gru_cell/bias', 'bias of layer')
    K = f.tensor('dense/kernel', [9, 7])
    f.matrix('dense', 'dense/kernel', 'dense', 'Dense', K.T)
    f.tensor('dense/bias', [7]); f.skipped('dense/bias', 'bias of layer')
    K = f.tensor('logits/kernel', [7, 3])
    f.matrix('logits', 'logits/kernel', 'dense', 'Dense', K.T)
    f.tensor('logits/bias', [3]); f.skipped('logits/bias', 'bias of layer')
    f.tensor('stray/kernel', [2, 2]); f.skipped('stray/kernel', 'no layer of the topology')
    layers = [
        layer('InputLayer', 'tokens', [], batch_input_shape=[None, 10], dtype='int32'),
        layer('Embedding', 'embedding', ['tokens'], input_dim=50, output_dim=8),
        layer('Conv1D', 'conv1d', ['embedding'], filters=6, kernel_size=[3]),
        layer('LSTM', 'lstm', ['conv1d'], units=5),
        layer('GRU', 'gru', ['conv1d'], units=4, reset_after=True),
        layer('Concatenate', 'concatenate', ['lstm', 'gru'], axis=-1),
        layer('Dense', 'dense', ['concatenate'], units=7, activation='relu'),
        layer('Dropout', 'dropout', ['dense'], rate=0.2),
        layer('Dense', 'logits', ['dropout'], units=3),
        layer('Activation', 'softmax', ['logits'], activation='softmax'),
    ]
    config = {'name': 'model', 'layers': layers, 'input_layers': [['tokens', 0, 0]], 'output_layers': [['softmax', 0, 0]]}
    root = {'format': 'layers-model', 'generatedBy': 'keras v2.15.0', 'convertedBy': 'TensorFlow.js Converter v4.22.0',
            'modelTopology': {'keras_version': '2.15.0', 'backend': 'tensorflow', 'model_config': {'class_name': 'Functional', 'config': config}}}
    f.write(root, groups=[9, 5], shard_bytes=512,
            extra={'producer': 'keras v2.15.0 (converted by TensorFlow.js Converter v4.22.0)', 'outputWidth': 3})


def nested():
    """Sequential with TimeDistributed, Bidirectional, SimpleRNN, a PReLU, and a nested Functional head (scoped names)."""
    f = Fixture('layers-nested', 3)
    td = 'time_distributed_TimeDistributed1'
    K = f.tensor(f'{td}/kernel', [4, 6])
    f.matrix(td, f'{td}/kernel', 'dense', 'TimeDistributed(Dense)', K.T)
    f.tensor(f'{td}/bias', [6]); f.skipped(f'{td}/bias', 'bias of layer')
    bi = 'bidirectional_Bidirectional1'
    for d in ['forward', 'backward']:
        scope = f'{bi}/{d}_lstm_LSTM1'
        K = f.tensor(f'{scope}/kernel', [6, 12])
        for g, W in zip('ifco', gates(K, 4)):
            f.matrix(f'{bi}.{d}.W.{g}', f'{scope}/kernel', 'recurrent-input', 'Bidirectional(LSTM)', W)
        R = f.tensor(f'{scope}/recurrent_kernel', [3, 12])
        for g, W in zip('ifco', gates(R, 4)):
            f.matrix(f'{bi}.{d}.R.{g}', f'{scope}/recurrent_kernel', 'recurrent-hidden', 'Bidirectional(LSTM)', W)
        f.tensor(f'{scope}/bias', [12]); f.skipped(f'{scope}/bias', 'bias of layer')
    rnn = 'simple_rnn_SimpleRNN1'
    K = f.tensor(f'{rnn}/kernel', [6, 4])
    f.matrix(f'{rnn}.W', f'{rnn}/kernel', 'recurrent-input', 'SimpleRNN', K.T)
    R = f.tensor(f'{rnn}/recurrent_kernel', [4, 4])
    f.matrix(f'{rnn}.R', f'{rnn}/recurrent_kernel', 'recurrent-hidden', 'SimpleRNN', R.T)
    f.tensor(f'{rnn}/bias', [4]); f.skipped(f'{rnn}/bias', 'bias of layer')
    f.tensor('p_re_lu_PReLU1/alpha', [4]); f.skipped('p_re_lu_PReLU1/alpha', 'not a kernel this reader analyzes')
    K = f.tensor('head/dense_a/kernel', [4, 5])
    f.matrix('dense_a', 'head/dense_a/kernel', 'dense', 'Dense', K.T)
    f.tensor('head/dense_a/bias', [5]); f.skipped('head/dense_a/bias', 'bias of layer')
    K = f.tensor('head/dense_b/kernel', [5, 2])
    f.matrix('dense_b', 'head/dense_b/kernel', 'dense', 'Dense', K.T)
    head = {'class_name': 'Functional', 'name': 'head', 'config': {
        'name': 'head',
        'layers': [
            layer('InputLayer', 'head_in', [], batch_input_shape=[None, 4]),
            layer('Dense', 'dense_a', ['head_in'], units=5),
            layer('Dense', 'dense_b', ['dense_a'], units=2, activation='softmax', use_bias=False),
        ],
        'input_layers': [['head_in', 0, 0]], 'output_layers': [['dense_b', 0, 0]]}}
    lstm = layer('LSTM', 'lstm_LSTM1', units=3, return_sequences=True)
    layers = [
        layer('TimeDistributed', td, batch_input_shape=[None, 5, 4], layer={'class_name': 'Dense', 'config': {'name': 'dense_Dense1', 'units': 6}}),
        layer('Bidirectional', bi, merge_mode='concat', layer={'class_name': 'LSTM', 'config': lstm['config']}),
        layer('SimpleRNN', rnn, units=4),
        layer('PReLU', 'p_re_lu_PReLU1'),
        head,
    ]
    root = {'format': 'layers-model', 'generatedBy': 'TensorFlow.js tfjs-layers v4.22.0',
            'modelTopology': {'class_name': 'Sequential', 'config': {'name': 'outer', 'layers': layers}}}
    f.write(root, extra={'producer': 'TensorFlow.js tfjs-layers v4.22.0', 'outputWidth': 2})


def quantized():
    """Quantized and half-precision storage (uint8, uint16, float16 quantization, float16 dtype), Conv3D, Conv1DTranspose, an int32 tensor."""
    f = Fixture('layers-quantized', 4)
    K = f.tensor('conv3d/kernel', [2, 2, 2, 2, 3], quantization='uint16')
    f.matrix('conv3d', 'conv3d/kernel', 'conv', 'Conv3D', conv_rows(K))
    f.tensor('conv3d/bias', [3], quantization='uint8'); f.skipped('conv3d/bias', 'bias of layer')
    K = f.tensor('conv1d_transpose/kernel', [3, 4, 2], quantization='uint8')
    f.matrix('conv1d_transpose', 'conv1d_transpose/kernel', 'conv-transpose', 'Conv1DTranspose', transpose_rows(K))
    K = f.tensor('dense_u8/kernel', [12, 6], quantization='uint8')
    f.matrix('dense_u8', 'dense_u8/kernel', 'dense', 'Dense', K.T)
    K = f.tensor('dense_q16/kernel', [6, 5], quantization='float16')
    f.matrix('dense_q16', 'dense_q16/kernel', 'dense', 'Dense', K.T)
    K = f.tensor('dense_f16/kernel', [5, 4], dtype='float16')
    f.matrix('dense_f16', 'dense_f16/kernel', 'dense', 'Dense', K.T)
    f.tensor('dense_f16/steps', [2], dtype='int32'); f.skipped('dense_f16/steps', 'int32 tensor')
    layers = [
        layer('Conv3D', 'conv3d', filters=3, kernel_size=[2, 2, 2], batch_input_shape=[None, 4, 4, 4, 2]),
        layer('Reshape', 'reshape', target_shape=[27, 2]),
        layer('Conv1DTranspose', 'conv1d_transpose', filters=4, kernel_size=[3], use_bias=False),
        layer('Flatten', 'flatten'),
        layer('Dense', 'dense_u8', units=6, use_bias=False),
        layer('Dense', 'dense_q16', units=5, use_bias=False),
        layer('Dense', 'dense_f16', units=4, use_bias=False),
    ]
    root = {'format': 'layers-model', 'modelTopology': {'keras_version': '2.4.0', 'model_config': {'class_name': 'Sequential', 'config': {'name': 'q', 'layers': layers}}}}
    f.write(root, shard_bytes=100, extra={'producer': 'keras 2.4.0', 'outputWidth': 4})


def b64(s):
    return base64.b64encode(s.encode()).decode()


def node(name, op, inputs=(), **attr):
    return {'name': name, 'op': op, 'input': list(inputs), 'attr': attr}


def graph():
    """Graph model: _FusedConv2D, DepthwiseConv2dNative, Conv2DBackpropInput, MatMul (transpose_b), GatherV2 + Einsum, BatchMatMulV2, _FusedMatMul through Identity."""
    f = Fixture('graph-model', 5)
    nodes = [node('x', 'Placeholder'), node('ids', 'Placeholder')]
    K = f.tensor('conv/w', [3, 3, 3, 4], quantization='uint8')
    f.matrix('conv', 'conv/w', 'conv', '_FusedConv2D', conv_rows(K))
    f.tensor('conv/b', [4]); f.skipped('conv/b', 'fused BiasAdd+Relu')
    nodes += [node('conv/w', 'Const'), node('conv/b', 'Const'),
              node('conv', '_FusedConv2D', ['x', 'conv/w', 'conv/b'], fused_ops={'list': {'s': [b64('BiasAdd'), b64('Relu')]}}, num_args={'i': '1'})]
    K = f.tensor('dw/w', [3, 3, 4, 2])
    f.matrix('dw', 'dw/w', 'conv', 'DepthwiseConv2dNative', depthwise_rows(K))
    nodes += [node('dw/w', 'Const'), node('dw', 'DepthwiseConv2dNative', ['conv', 'dw/w'])]
    K = f.tensor('up/w', [2, 2, 5, 8])
    f.matrix('up', 'up/w', 'conv-transpose', 'Conv2DBackpropInput', transpose_rows(K))
    f.tensor('up/sizes', [4], dtype='int32'); f.skipped('up/sizes', 'int32 tensor')
    nodes += [node('up/w', 'Const'), node('up/sizes', 'Const'), node('up', 'Conv2DBackpropInput', ['up/sizes', 'up/w', 'dw'])]
    f.tensor('flat/shape', [2], dtype='int32'); f.skipped('flat/shape', 'Reshape')
    K = f.tensor('fc1/w', [6, 40], quantization='float16')
    f.matrix('fc1', 'fc1/w', 'dense', 'MatMul', K)  # transpose_b: stored [out, in]
    nodes += [node('flat/shape', 'Const'), node('flat', 'Reshape', ['up', 'flat/shape']), node('fc1/w', 'Const'),
              node('fc1', 'MatMul', ['flat', 'fc1/w:0'], transpose_b={'b': True})]
    T = f.tensor('emb/table', [20, 6])
    f.matrix('emb', 'emb/table', 'embedding', 'GatherV2', T.T)
    nodes += [node('emb/table', 'Const'), node('emb/axis', 'Const', value={'tensor': {'dtype': 'DT_INT32', 'tensorShape': {}, 'intVal': [0]}}),
              node('emb', 'GatherV2', ['emb/table', 'ids', 'emb/axis'], batch_dims={'i': '0'})]
    C = f.tensor('proj/w', [6, 2, 3])
    f.matrix('proj', 'proj/w', 'einsum', 'Einsum', C.transpose(1, 2, 0).reshape(6, 6))
    f.tensor('proj/shape', [2], dtype='int32'); f.skipped('proj/shape', 'Reshape')
    nodes += [node('proj/w', 'Const'), node('proj', 'Einsum', ['emb', 'proj/w'], equation={'s': b64('bd,dhk->bhk')}, N={'i': '2'}),
              node('proj/shape', 'Const'), node('proj/flat', 'Reshape', ['proj', 'proj/shape']), node('sum', 'AddV2', ['fc1', 'proj/flat'])]
    B = f.tensor('bmm/w', [1, 6, 5])
    f.matrix('bmm', 'bmm/w', 'dense', 'BatchMatMulV2', B[0].T)
    nodes += [node('bmm/w', 'Const'), node('bmm', 'BatchMatMulV2', ['sum', 'bmm/w'])]
    f.tensor('bn/scale', [5]); f.skipped('bn/scale', 'Mul')
    nodes += [node('bn/scale', 'Const'), node('bn', 'Mul', ['bmm', 'bn/scale'])]
    H = f.tensor('head/w', [5, 4])
    f.matrix('head', 'head/w', 'dense', '_FusedMatMul', H.T)
    f.tensor('head/b', [4]); f.skipped('head/b', 'fused BiasAdd')
    nodes += [node('head/w', 'Const'), node('head/w/read', 'Identity', ['head/w']), node('head/b', 'Const'),
              node('head', '_FusedMatMul', ['bn', 'head/w/read', 'head/b', '^bn'], fused_ops={'list': {'s': [b64('BiasAdd')]}}),
              node('prob', 'Softmax', ['head']), node('out', 'Identity', ['prob'])]
    f.tensor('unused/w', [3, 3]); f.skipped('unused/w', 'no op of the graph reads it')
    nodes.append(node('unused/w', 'Const'))
    root = {'format': 'graph-model', 'generatedBy': '2.15.0', 'convertedBy': 'TensorFlow.js Converter v4.22.0',
            'signature': {'outputs': {'out:0': {'name': 'out:0', 'dtype': 'DT_FLOAT'}}},
            'modelTopology': {'node': nodes, 'library': {}, 'versions': {'producer': 1700}}}
    f.write(root, shard_bytes=700, extra={'producer': 'TensorFlow 2.15.0 (converted by TensorFlow.js Converter v4.22.0)', 'outputWidth': 4})


def graph_operands():
    """Graph model: constant left MatMul operand (transpose_a), batched BatchMatMulV2 constant (adj_y), a batch-axis Einsum; two outputs."""
    f = Fixture('graph-operands', 6)
    A = f.tensor('left/w', [7, 3])  # transpose_a: z = A^T h, stored [in, out]
    f.matrix('left', 'left/w', 'dense', 'MatMul', A.T)
    B = f.tensor('batched/w', [2, 4, 3])  # adj_y: each slice stored [out, in]
    for s in range(2):
        f.matrix(f'batched[{s}]', 'batched/w', 'dense', 'BatchMatMulV2', B[s])
    f.tensor('heads/w', [2, 3, 5]); f.skipped('heads/w', 'batch axis')
    nodes = [node('x', 'Placeholder'), node('left/w', 'Const'), node('left', 'MatMul', ['left/w', 'x'], transpose_a={'b': True}),
             node('batched/w', 'Const'), node('batched', 'BatchMatMulV2', ['x', 'batched/w'], adj_y={'b': True}),
             node('heads/w', 'Const'), node('heads', 'Einsum', ['x', 'heads/w'], equation={'s': b64('hbd,hde->hbe')})]
    root = {'format': 'graph-model', 'generatedBy': '1.15.0', 'modelTopology': {'node': nodes}}
    f.write(root, extra={'producer': 'TensorFlow 1.15.0', 'outputWidth': None})


if __name__ == '__main__':
    sequential_conv()
    functional_branches()
    nested()
    quantized()
    graph()
    graph_operands()
    print('wrote', sorted(os.listdir(OUT)))
