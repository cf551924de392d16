#!/usr/bin/python3
"""numpy reference for real TF.js Graph models shipped in an npm package (@vladmandic/human@3.3.6: antispoof,
emotion, liveness): for every weight a conv, depthwise conv or matrix-product op reads as its kernel, the matrix
in the package's orientation (HWIO [k.., in, out] as out x in*k..; depthwise [kh, kw, in, mult] as in*mult x
kh*kw; MatMul right operand [in, out] transposed), its Frobenius norm and largest singular values. Writes
src/tfjs/__fixtures__/real-models.json. The models come from the cache the tests use (npm-model-cache.ts),
filled here with `npm pack` when empty. Run: /usr/bin/python3 scripts/tfjs-real-models.py
"""
import json
import os
import subprocess
import tarfile
import tempfile

import numpy as np

PACKAGE, VERSION, MODELS = '@vladmandic/human', '3.3.6', ['antispoof', 'emotion', 'liveness']
HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.environ.get('RANK_COLLAPSE_MODEL_CACHE', os.path.join(os.path.expanduser('~'), '.cache', 'rank-collapse', 'npm'))
DIR = os.path.join(CACHE, f"{PACKAGE.replace('/', '+')}@{VERSION}")
FILES = [f'models/{m}.{ext}' for m in MODELS for ext in ('json', 'bin')]
LAYOUT = {'_FusedConv2D': 'conv', 'Conv2D': 'conv', 'DepthwiseConv2dNative': 'depthwise', '_FusedMatMul': 'matmul', 'MatMul': 'matmul'}


def fetch():
    if all(os.path.exists(os.path.join(DIR, f)) for f in FILES):
        return
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(['npm', 'pack', f'{PACKAGE}@{VERSION}', '--pack-destination', work, '--silent'], check=True)
        tgz = next(f for f in os.listdir(work) if f.endswith('.tgz'))
        with tarfile.open(os.path.join(work, tgz)) as tar:
            for f in FILES:
                member = tar.getmember(f'package/{f}')
                os.makedirs(os.path.dirname(os.path.join(DIR, f)), exist_ok=True)
                with tar.extractfile(member) as src, open(os.path.join(DIR, f), 'wb') as dst:
                    dst.write(src.read())


def weights(folder, model):
    """Every manifest weight as stored: float32, float16 quantization widened, int32."""
    out = []
    for group in model['weightsManifest']:
        data = b''.join(open(os.path.join(folder, p), 'rb').read() for p in group['paths'])
        at = 0
        for w in group['weights']:
            n = int(np.prod(w['shape'], dtype=np.int64))
            q = (w.get('quantization') or {}).get('dtype')
            if q == 'float16':
                values, at = np.frombuffer(data, '<f2', n, at).astype(np.float32), at + 2 * n
            elif q in ('uint8', 'uint16'):
                dt, size = ('<u1', 1) if q == 'uint8' else ('<u2', 2)
                raw = np.frombuffer(data, dt, n, at).astype(np.float64)
                values, at = (raw * w['quantization']['scale'] + w['quantization']['min']).astype(np.float32), at + size * n
            else:
                values, at = np.frombuffer(data, '<f4' if w['dtype'] == 'float32' else '<i4', n, at), at + 4 * n
            out.append((w['name'], values.reshape(w['shape'])))
        assert at == len(data)
    return out


def main():
    fetch()
    result = {'package': f'{PACKAGE}@{VERSION}', 'models': {}}
    for m in MODELS:
        model = json.load(open(os.path.join(DIR, 'models', f'{m}.json')))
        nodes = {n['name']: n for n in model['modelTopology']['node']}
        kernel_of = {}
        for n in model['modelTopology']['node']:
            if n['op'] in LAYOUT and len(n.get('input', [])) > 1:
                src = n['input'][1].split(':')[0]
                while nodes.get(src, {}).get('op') == 'Identity':
                    src = nodes[src]['input'][0].split(':')[0]
                kernel_of.setdefault(src, n['op'])
        matrices = []
        stored = weights(os.path.join(DIR, 'models'), model)
        for name, K in stored:
            op = kernel_of.get(name)
            if op is None:
                continue
            layout = LAYOUT[op]
            if layout == 'conv':
                W = K.transpose(3, 2, 0, 1).reshape(K.shape[3], -1)
            elif layout == 'depthwise':
                W = K.transpose(2, 3, 0, 1).reshape(K.shape[2] * K.shape[3], -1)
            else:
                W = K.T
            W = W.astype(np.float64)
            sv = np.linalg.svd(W, compute_uv=False)
            matrices.append({'tensor': name, 'op': op, 'rows': W.shape[0], 'cols': W.shape[1],
                             'frobenius': float(np.linalg.norm(W)), 'top': [float(s) for s in sv[:5]]})
        result['models'][m] = {'weights': len(stored), 'matrices': matrices}
    out = os.path.join(HERE, '..', 'src', 'tfjs', '__fixtures__', 'real-models.json')
    with open(out, 'w') as f:
        json.dump(result, f, indent=1)
    print('wrote', out, {m: len(v['matrices']) for m, v in result['models'].items()})


if __name__ == '__main__':
    main()
