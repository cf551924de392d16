// The benchmark MLP (784-512-512-512-10, ReLU, Gemm layers with W stored [out, in] as in PyTorch): the probe
// forward with taps as an IR graph, and random MNIST-size data. (Training benchmarks use the product's own
// train step: lib/train-epoch.mjs.)

/** Layer widths of the benchmark MLP. */
export const MLP_LAYERS = [784, 512, 512, 512, 10];

/** He-initialized params {W1, b1, ...} as float32 host tensors (deterministic LCG, not the project RNG: speed only). */
export function initialParams(layers = MLP_LAYERS, seed = 1) {
  const rand = uniform(seed);
  const params = {};
  for (let l = 1; l < layers.length; l++) {
    const [fanIn, fanOut] = [layers[l - 1], layers[l]];
    const scale = Math.sqrt(6 / fanIn);
    params[`W${l}`] = { dtype: 'float32', shape: [fanOut, fanIn], data: Float32Array.from({ length: fanOut * fanIn }, () => (2 * rand() - 1) * scale) };
    params[`b${l}`] = { dtype: 'float32', shape: [fanOut], data: new Float32Array(fanOut) };
  }
  return params;
}

/** `samples` random inputs in [0, 1) and one-hot labels, as flat Float32Arrays. */
export function randomData(samples, inputs = MLP_LAYERS[0], classes = MLP_LAYERS.at(-1), seed = 2) {
  const rand = uniform(seed);
  const x = new Float32Array(samples * inputs);
  for (let i = 0; i < x.length; i++) x[i] = rand();
  const y = new Float32Array(samples * classes);
  for (let i = 0; i < samples; i++) y[i * classes + Math.floor(rand() * classes)] = 1;
  return { x, y };
}

function uniform(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** The forward graph: z_l = h_{l-1} W_lᵀ + b_l, h_l = relu(z_l); logits z_L. Returns builder and value names. */
function forward(backend, layers, name) {
  const { GraphBuilder } = backend;
  const g = new GraphBuilder(name);
  const x = g.input('x', 'float32', ['N', layers[0]]);
  const taps = [];
  let h = x;
  for (let l = 1; l < layers.length; l++) {
    const w = g.param(`W${l}`, [layers[l], layers[l - 1]], 'weight');
    const b = g.param(`b${l}`, [layers[l]], 'bias');
    const z = g.gemm(h, w, b, { transB: true }, { name: `z${l}` });
    taps.push({ input: h.name, preActivation: z.name });
    h = l < layers.length - 1 ? g.relu(z, { name: `h${l}` }) : z;
  }
  return { g, logits: h, taps };
}

/** Forward with taps: every layer's input h_{l-1} and pre-activation z_l as outputs. */
export function probeGraph(backend, { layers = MLP_LAYERS } = {}) {
  const { g, taps } = forward(backend, layers, 'mlp-probe');
  for (const t of taps) {
    if (t.input !== 'x') g.output(g.value(t.input));
    g.output(g.value(t.preActivation));
  }
  return { graph: g.build(), taps };
}
