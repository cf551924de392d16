/**
 * Gradient conformance: one or more cases per differentiable op, each a small graph with a scalar loss
 * ReduceSum(output ⊙ fixed random weights) on seeded inputs kept away from kinks, and the check that runs
 * autodiff on it: against central finite differences on the float64 oracle, and against the oracle on the
 * backend under test.
 */
import type { Backend, Feed } from '../../backend.js';
import { gradients } from '../../autodiff/gradients.js';
import { GraphBuilder, type Value } from '../../ir/builder.js';
import type { Dim, HostTensor, OpAttrs } from '../../ir/types.js';
import { createRng, type Rng } from '../../random.js';
import { expectClose } from '../expect-close.js';
import type { GradientCase, Tolerance } from './types.js';

/** Backend vs oracle gradients: the float32 default. */
const DEFAULT_TOLERANCE: Tolerance = { atol: 1e-4, rtol: 1e-3 };
/** Central-difference step, relative to max(1, |x|). */
const FD_STEP = 1e-6;
/** Oracle vs finite differences: rtol; atol scales with the loss (float64 round-off of L±h over 2h). */
const FD_RTOL = 1e-6;
const FD_ATOL_PER_LOSS = 1e-8;
/** Elements perturbed per wrt tensor at most (evenly spread, first and last included), to keep cases fast. */
const FD_MAX_ELEMENTS = 40;

/** How a case's random tensor is drawn, each kept away from the non-smooth points of the ops it feeds. */
type Init =
  | 'normal'
  /** |x| ≥ 0.2, for Relu, Abs, LeakyRelu. */
  | 'away'
  /** In [0.5, 1.5], for Log, Sqrt, denominators. */
  | 'positive'
  /** A shuffled grid with spacing 0.05 plus a little noise: distinct values for max and pooling. */
  | 'distinct'
  /** Normal, but at least 0.1 away from ±0.5 (the clip bounds of the Clip case). */
  | 'clip';

function draw(rng: Rng, n: number, init: Init): Float32Array {
  const out = new Float32Array(n);
  if (init === 'distinct') {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let i = 0; i < n; i++) out[i] = (order[i] - n / 2) * 0.05 + 0.01 * rng.uniform();
    return out;
  }
  for (let i = 0; i < n; i++) {
    let x = rng.normal();
    if (init === 'away') x = Math.sign(x || 1) * (0.2 + Math.abs(x));
    else if (init === 'positive') x = 0.5 + rng.uniform();
    else if (init === 'clip') while (Math.abs(Math.abs(x) - 0.5) < 0.1) x = rng.normal();
    out[i] = x;
  }
  return out;
}

/** Builds one case: inputs and params registered with seeded data, the loss added on `run`'s output. */
class CaseBuilder {
  readonly g: GraphBuilder;
  readonly feeds: Record<string, HostTensor> = {};
  readonly wrt: string[] = [];
  private readonly rng: Rng;

  constructor(readonly name: string) {
    this.g = new GraphBuilder(name);
    this.rng = createRng(`gradient-case/${name}`);
  }

  /** A float32 input differentiated against (unless `wrt` is false). `feedShape` concretizes symbolic dims. */
  input(name: string, shape: readonly Dim[], init: Init = 'normal', options: { wrt?: boolean; feedShape?: readonly number[] } = {}): Value {
    const v = this.g.input(name, 'float32', shape);
    this.feed(name, options.feedShape ?? (shape as number[]), init);
    if (options.wrt ?? true) this.wrt.push(name);
    return v;
  }

  param(name: string, shape: readonly number[], init: Init = 'normal', wrt = true): Value {
    const v = this.g.param(name, shape);
    this.feed(name, shape, init);
    if (wrt) this.wrt.push(name);
    return v;
  }

  /** A constant of fixed random values. */
  constant(shape: readonly number[], init: Init = 'normal'): Value {
    return this.g.constant({ dtype: 'float32', shape: [...shape], data: draw(this.rng, count(shape), init) });
  }

  /** loss = ReduceSum(out ⊙ R) with fixed random R (broadcast over a symbolic batch dim, taken as 1). */
  finish(out: Value, tolerance?: Tolerance): GradientCase {
    const weights = this.constant(out.shape.map((d) => (typeof d === 'number' ? d : 1)));
    const loss = this.g.reduceSum(this.g.mul(out, weights), undefined, false, { name: 'loss' });
    this.g.output(loss);
    return { name: this.name, graph: this.g.build(), loss: loss.name, wrt: [...this.wrt], feeds: { ...this.feeds }, ...(tolerance ? { tolerance } : {}) };
  }

  private feed(name: string, shape: readonly number[], init: Init): void {
    this.feeds[name] = { dtype: 'float32', shape: [...shape], data: draw(this.rng, count(shape), init) };
  }
}

const count = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

function build(name: string, body: (c: CaseBuilder) => Value, tolerance?: Tolerance): GradientCase {
  const c = new CaseBuilder(name);
  return c.finish(body(c), tolerance);
}

function unaryCase(name: string, init: Init, apply: (g: GraphBuilder, x: Value) => Value): GradientCase {
  return build(name, (c) => apply(c.g, c.input('x', [3, 4], init)));
}

function matmulCase(name: string, a: readonly number[], b: readonly number[], attrs: OpAttrs['MatMul']): GradientCase {
  return build(name, (c) => c.g.matmul(c.input('A', a), c.input('B', b), attrs));
}

function gemmCase(name: string, a: readonly number[], b: readonly number[], cShape: readonly number[] | undefined, attrs: OpAttrs['Gemm']): GradientCase {
  return build(name, (c) => c.g.gemm(c.input('A', a), c.param('B', b), cShape && c.param('C', cShape), attrs));
}

function convCase(name: string, x: readonly number[], w: readonly number[], bias: boolean, attrs: OpAttrs['Conv']): GradientCase {
  return build(name, (c) => c.g.conv(c.input('X', x), c.param('W', w), bias ? c.param('B', [w[0]]) : undefined, attrs));
}

/**
 * The gradient conformance cases: at least one per differentiable op of the catalogue, with attribute
 * variants (MatMul/Gemm transposes and broadcasting, Conv stride/padding/dilation/groups, pooling, batch
 * norm in both modes), broadcasting binary ops, fan-out, stop-gradient, a symbolic batch dim and a
 * softmax cross-entropy. Deterministic: the same cases and data on every call.
 */
export function gradientCases(): GradientCase[] {
  return [
    matmulCase('MatMul', [3, 4], [4, 5], {}),
    matmulCase('MatMul transA', [4, 3], [4, 5], { transA: true }),
    matmulCase('MatMul transB', [3, 4], [5, 4], { transB: true }),
    matmulCase('MatMul transA transB', [4, 3], [5, 4], { transA: true, transB: true }),
    matmulCase('MatMul batched, broadcast leading dims', [2, 1, 3, 4], [3, 4, 2], {}),
    matmulCase('MatMul batched transB, rank-2 A', [3, 4], [2, 5, 4], { transB: true }),
    gemmCase('Gemm with bias row', [3, 4], [4, 5], [5], {}),
    gemmCase('Gemm alpha beta transA transB, column C', [4, 3], [5, 4], [3, 1], { alpha: 0.7, beta: 1.3, transA: true, transB: true }),
    gemmCase('Gemm transB full C', [3, 4], [5, 4], [3, 5], { transB: true, beta: 0.5 }),
    gemmCase('Gemm without C', [3, 4], [4, 2], undefined, { alpha: 2 }),
    build('Add broadcast', (c) => c.g.add(c.input('a', [3, 4]), c.input('b', [4]))),
    build('Sub broadcast both ways', (c) => c.g.sub(c.input('a', [3, 1]), c.input('b', [1, 4]))),
    build('Mul broadcast middle', (c) => c.g.mul(c.input('a', [2, 3, 4]), c.input('b', [3, 1]))),
    build('Div broadcast', (c) => c.g.div(c.input('a', [3, 4]), c.input('b', [4], 'positive'))),
    build('Mul fan-out (x·x + exp(x))', (c) => {
      const x = c.input('x', [3, 4]);
      return c.g.add(c.g.mul(x, x), c.g.exp(x));
    }),
    unaryCase('Neg', 'normal', (g, x) => g.neg(x)),
    unaryCase('Exp', 'normal', (g, x) => g.exp(x)),
    unaryCase('Log', 'positive', (g, x) => g.log(x)),
    unaryCase('Sqrt', 'positive', (g, x) => g.sqrt(x)),
    unaryCase('Abs', 'away', (g, x) => g.abs(x)),
    unaryCase('Relu', 'away', (g, x) => g.relu(x)),
    unaryCase('LeakyRelu', 'away', (g, x) => g.leakyRelu(x, 0.2)),
    unaryCase('Tanh', 'normal', (g, x) => g.tanh(x)),
    unaryCase('Sigmoid', 'normal', (g, x) => g.sigmoid(x)),
    unaryCase('Clip', 'clip', (g, x) => g.clip(x, { min: -0.5, max: 0.5 })),
    unaryCase('Clip min only', 'clip', (g, x) => g.clip(x, { min: -0.5 })),
    unaryCase('Identity', 'normal', (g, x) => g.identity(x)),
    build('Where broadcast, condition stops the gradient', (c) => {
      const a = c.input('a', [3, 4], 'away');
      const cond = c.g.greater(a, c.g.scalar(0));
      return c.g.where(cond, c.g.mul(a, c.input('x', [3, 4])), c.input('z', [4]));
    }),
    build('Cast of Greater stops the gradient', (c) => {
      const x = c.input('x', [3, 4], 'away');
      return c.g.mul(x, c.g.cast(c.g.greater(x, c.g.scalar(0)), 'float32'));
    }),
    build('Reshape', (c) => c.g.reshape(c.input('x', [2, 3, 4]), [4, -1])),
    build('Transpose', (c) => c.g.transpose(c.input('x', [2, 3, 4]), [2, 0, 1])),
    build('Flatten axis 2', (c) => c.g.flatten(c.input('x', [2, 3, 2, 2]), 2)),
    build('Squeeze', (c) => c.g.squeeze(c.input('x', [3, 1, 4, 1]), [1, -1])),
    build('Unsqueeze', (c) => c.g.unsqueeze(c.input('x', [3, 4]), [0, 2])),
    build('Expand', (c) => c.g.expand(c.input('x', [3, 1]), [2, 3, 4])),
    build('Concat with a repeated input', (c) => {
      const a = c.input('a', [2, 3]);
      return c.g.concat([a, c.input('b', [2, 1]), a], 1);
    }),
    build('Slice negative indices', (c) => c.g.slice(c.input('x', [4, 5]), { starts: [1, -4], ends: [3, -1], axes: [0, 1] })),
    build('Slice steps 2 and −2', (c) => c.g.slice(c.input('x', [5, 7]), { starts: [0, 6], ends: [5, 0], axes: [0, 1], steps: [2, -2] })),
    build('Slice step 3 past the end', (c) => c.g.slice(c.input('x', [2, 8]), { starts: [1], ends: [100], axes: [1], steps: [3] })),
    build('Pad', (c) => c.g.pad(c.input('x', [2, 3]), [1, 0, 2, 3], 0.5)),
    build('ReduceSum axis 1', (c) => c.g.reduceSum(c.input('x', [2, 3, 4]), [1], false)),
    build('ReduceSum all', (c) => c.g.mul(c.g.reduceSum(c.input('x', [2, 3])), c.input('y', [2, 3]))),
    build('ReduceMean axes 0 and 2 keepdims', (c) => c.g.reduceMean(c.input('x', [2, 3, 4]), [0, 2], true)),
    build('ReduceMax axis 1', (c) => c.g.reduceMax(c.input('x', [3, 5], 'distinct'), [1], false)),
    build('ReduceMax all keepdims', (c) => c.g.mul(c.g.reduceMax(c.input('x', [3, 4], 'distinct')), c.input('y', [3, 4]))),
    build('Softmax last axis', (c) => c.g.softmax(c.input('x', [3, 5]))),
    build('Softmax axis 0', (c) => c.g.softmax(c.input('x', [3, 5]), 0)),
    build('LogSoftmax', (c) => c.g.logSoftmax(c.input('x', [3, 5]))),
    convCase('Conv 3×3 with bias', [2, 3, 5, 5], [4, 3, 3, 3], true, {}),
    convCase('Conv stride 2, pad 1', [2, 2, 6, 6], [3, 2, 3, 3], true, { strides: [2, 2], pads: [1, 1, 1, 1] }),
    convCase('Conv stride 2 leaving unread rows, asymmetric pads', [1, 2, 8, 7], [2, 2, 3, 2], false, { strides: [2, 3], pads: [0, 1, 0, 0] }),
    convCase('Conv dilation 2', [1, 2, 7, 7], [2, 2, 3, 3], true, { dilations: [2, 2], pads: [1, 2, 1, 2] }),
    convCase('Conv groups 2', [2, 4, 5, 5], [6, 2, 3, 3], true, { group: 2, strides: [2, 1], pads: [1, 1, 1, 1] }),
    convCase('Conv depthwise', [1, 3, 5, 5], [3, 1, 2, 2], false, { group: 3 }),
    build('ConvTranspose', (c) => c.g.convTranspose(c.input('X', [2, 3, 3, 3]), c.param('W', [3, 2, 3, 3]), c.param('B', [2]))),
    build('ConvTranspose stride 2, pads, outputPadding', (c) =>
      c.g.convTranspose(c.input('X', [1, 2, 3, 4]), c.param('W', [2, 3, 3, 3]), undefined, { strides: [2, 2], pads: [1, 1, 1, 0], outputPadding: [1, 0] }),
    ),
    build('ConvTranspose groups 2, dilation 2', (c) =>
      c.g.convTranspose(c.input('X', [1, 4, 3, 3]), c.param('W', [4, 1, 2, 2]), undefined, { group: 2, dilations: [2, 2] }),
    ),
    build('AveragePool 2×2 stride 2', (c) => c.g.averagePool(c.input('x', [2, 2, 5, 4]), { kernelShape: [2, 2], strides: [2, 2] })),
    build('AveragePool 3×3 stride 2 overlapping', (c) => c.g.averagePool(c.input('x', [1, 2, 7, 6]), { kernelShape: [3, 3], strides: [2, 2] })),
    build('AveragePool padded, countIncludePad', (c) =>
      c.g.averagePool(c.input('x', [1, 2, 5, 5]), { kernelShape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], countIncludePad: true }),
    ),
    build('GlobalAveragePool', (c) => c.g.globalAveragePool(c.input('x', [2, 3, 3, 4]))),
    build('MaxPool 2×2 stride 2, odd input', (c) => c.g.maxPool(c.input('x', [2, 2, 5, 4], 'distinct'), { kernelShape: [2, 2], strides: [2, 2] })),
    build('MaxPool 2×2 stride 3 (gaps)', (c) => c.g.maxPool(c.input('x', [1, 2, 7, 8], 'distinct'), { kernelShape: [2, 2], strides: [3, 3] })),
    build('BatchNormalization inference', (c) =>
      c.g.batchNorm(c.input('x', [2, 3, 2, 2]), c.param('scale', [3]), c.param('bias', [3]), c.param('mean', [3]), c.param('var', [3], 'positive'), { epsilon: 1e-3 }),
    ),
    build('BatchNormalization training 4-D', (c) => {
      const [y] = c.g.batchNormTraining(c.input('x', [3, 2, 2, 3]), c.param('scale', [2]), c.param('bias', [2]), c.param('mean', [2], 'normal', false), c.param('var', [2], 'positive', false));
      return y;
    }),
    build('BatchNormalization training 2-D', (c) => {
      const [y] = c.g.batchNormTraining(c.input('x', [5, 3]), c.param('scale', [3]), c.param('bias', [3]), c.param('mean', [3], 'normal', false), c.param('var', [3], 'positive', false), { epsilon: 1e-2 });
      return y;
    }),
    build('Symbolic batch MLP layer', (c) => {
      const x = c.input('x', ['N', 4], 'normal', { feedShape: [3, 4] });
      const z = c.g.gemm(x, c.param('W', [5, 4]), c.param('b', [5]), { transB: true });
      return c.g.reduceMean(c.g.tanh(z), [0], true);
    }),
    softmaxCrossEntropyCase(),
  ];
}

/** loss = mean_i −Σ_k onehot_ik · log softmax(x_i W1ᵀ + b1 → ReLU → W2ᵀ + b2)_k. */
function softmaxCrossEntropyCase(): GradientCase {
  const c = new CaseBuilder('softmax cross-entropy MLP');
  const g = c.g;
  const x = c.input('x', [4, 5]);
  const h = g.relu(g.gemm(x, c.param('W1', [6, 5]), c.param('b1', [6], 'away'), { transB: true }));
  const logits = g.gemm(h, c.param('W2', [3, 6]), c.param('b2', [3]), { transB: true });
  const onehot = g.constant({ dtype: 'float32', shape: [4, 3], data: new Float32Array([1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]) });
  const nll = g.neg(g.reduceSum(g.mul(onehot, g.logSoftmax(logits)), [1], false));
  const loss = g.reduceMean(nll, undefined, false, { name: 'loss' });
  g.output(loss);
  return { name: c.name, graph: g.build(), loss: loss.name, wrt: [...c.wrt], feeds: { ...c.feeds } };
}

const widen = (t: HostTensor): HostTensor => ({ ...t, data: Float64Array.from(t.data as Float32Array) });

async function scalarOf(feed: Feed, backend: Backend): Promise<number> {
  return Number((await backend.download(feed)).data[0]);
}

function probeIndices(n: number): number[] {
  if (n <= FD_MAX_ELEMENTS) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: FD_MAX_ELEMENTS }, (_, i) => Math.round((i * (n - 1)) / (FD_MAX_ELEMENTS - 1)));
}

/**
 * Checks autodiff on one case. (i) On `oracle` (the float64 reference backend) every gradient is compared to
 * central finite differences of the loss (step 1e-6·max(1, |x|), at most 40 evenly spread elements per
 * tensor; tolerance rtol 1e-6, atol 1e-8·(1 + |loss|)). (ii) On `backend`, fed float32 data, every gradient
 * is compared to the oracle's with the case tolerance (default atol 1e-4, rtol 1e-3).
 * @throws Error naming the case, the value and the worst element when a comparison fails.
 */
export async function checkGradientCase(backend: Backend, oracle: Backend, c: GradientCase): Promise<void> {
  const { graph, gradients: names } = gradients(c.graph, { of: c.loss, wrt: c.wrt });
  const fetch = c.wrt.map((w) => names[w]);
  const feeds64: Record<string, HostTensor> = Object.fromEntries(Object.entries(c.feeds).map(([k, t]) => [k, t.dtype === 'float32' ? widen(t) : t]));

  const oracleGrad = await oracle.compile(graph);
  const oracleForward = await oracle.compile(c.graph);
  try {
    const expected = await oracleGrad.run(feeds64, { fetch });
    const base = await scalarOf((await oracleForward.run(feeds64, { fetch: [c.loss] }))[c.loss], oracle);
    for (const w of c.wrt) {
      const analytic = await oracle.download(expected[names[w]]);
      const x = feeds64[w];
      const indices = probeIndices(x.data.length);
      const numeric = new Float64Array(indices.length);
      for (const [k, i] of indices.entries()) {
        const data = Float64Array.from(x.data as Float64Array);
        const h = FD_STEP * Math.max(1, Math.abs(data[i]));
        const lossAt = async (value: number): Promise<number> => {
          data[i] = value;
          const out = await oracleForward.run({ ...feeds64, [w]: { ...x, data: Float64Array.from(data) } }, { fetch: [c.loss] });
          return scalarOf(out[c.loss], oracle);
        };
        const x0 = data[i];
        numeric[k] = ((await lossAt(x0 + h)) - (await lossAt(x0 - h))) / (2 * h);
      }
      const picked = indices.map((i) => Number(analytic.data[i]));
      expectClose(picked, numeric, { atol: FD_ATOL_PER_LOSS * (1 + Math.abs(base)), rtol: FD_RTOL }, `${c.name}: oracle gradient of "${w}" vs finite differences (elements ${indices.length < x.data.length ? 'sampled' : 'all'})`);
    }

    const tested = await backend.compile(graph);
    try {
      const actual = await tested.run(c.feeds, { fetch });
      for (const w of c.wrt) {
        const a = await backend.download(actual[names[w]]);
        const e = await oracle.download(expected[names[w]]);
        expectClose(a.data as Float32Array, e.data as Float64Array, c.tolerance ?? DEFAULT_TOLERANCE, `${c.name}: ${backend.name} gradient of "${w}" vs the oracle`);
      }
    } finally {
      tested.dispose();
    }
  } finally {
    oracleGrad.dispose();
    oracleForward.dispose();
  }
}
