/** Builds forward conformance cases: a graph plus seeded float32-exact feeds for every input and param. */
import { GraphBuilder, type Value } from '../../ir/builder.js';
import type { DType, Dim, HostTensor } from '../../ir/types.js';
import { createRng, type Rng } from '../../random.js';
import type { ForwardCase, Tolerance } from './types.js';

/** How a float tensor is drawn. */
export type ForwardInit =
  /** Standard normal. */
  | 'normal'
  /** Uniform in [0.5, 2]: logarithms, square roots, denominators. */
  | 'positive'
  /** From {−1, −0.5, 0, 0.5, 1}: comparisons with ties, Relu/Abs at 0. */
  | 'ties'
  /** Normal · 40 + 500: softmax must subtract the max to stay finite in float32. */
  | 'large';

function draw(rng: Rng, n: number, init: ForwardInit): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (init === 'positive') out[i] = 0.5 + 1.5 * rng.uniform();
    else if (init === 'ties') out[i] = rng.int(5) / 2 - 1;
    else if (init === 'large') out[i] = 40 * rng.normal() + 500;
    else out[i] = rng.normal();
  }
  return out;
}

const count = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

export class ForwardCaseBuilder {
  readonly g: GraphBuilder;
  readonly feeds: Record<string, HostTensor> = {};
  private readonly rng: Rng;

  constructor(readonly name: string) {
    this.g = new GraphBuilder(name.replace(/[^\w-]+/g, '_'));
    this.rng = createRng(`forward-case/${name}`);
  }

  /** A float32 input; `feedShape` gives the fed sizes of symbolic dims. */
  input(name: string, shape: readonly Dim[], init: ForwardInit = 'normal', feedShape?: readonly number[]): Value {
    const fed = feedShape ?? (shape as readonly number[]);
    this.feeds[name] = { dtype: 'float32', shape: [...fed], data: draw(this.rng, count(fed), init) };
    return this.g.input(name, 'float32', shape);
  }

  /** A float32 param (fed like an input; backends may keep params resident). */
  param(name: string, shape: readonly number[], init: ForwardInit = 'normal'): Value {
    this.feeds[name] = { dtype: 'float32', shape: [...shape], data: draw(this.rng, count(shape), init) };
    return this.g.param(name, shape);
  }

  /** An int64 input with values uniform in [lo, hi]. */
  int64(name: string, shape: readonly number[], lo = -3, hi = 3): Value {
    this.feeds[name] = { dtype: 'int64', shape: [...shape], data: BigInt64Array.from({ length: count(shape) }, () => BigInt(lo + this.rng.int(hi - lo + 1))) };
    return this.g.input(name, 'int64', shape);
  }

  /** A bool input, each element true with probability 1/2. */
  bool(name: string, shape: readonly number[]): Value {
    this.feeds[name] = { dtype: 'bool', shape: [...shape], data: Uint8Array.from({ length: count(shape) }, () => this.rng.int(2)) };
    return this.g.input(name, 'bool', shape);
  }

  /** A constant of seeded values of any dtype, stored in the graph. */
  constant(shape: readonly number[], dtype: DType = 'float32', init: ForwardInit = 'normal'): Value {
    const n = count(shape);
    const data =
      dtype === 'float32' ? draw(this.rng, n, init) : dtype === 'int64' ? BigInt64Array.from({ length: n }, () => BigInt(this.rng.int(7) - 3)) : Uint8Array.from({ length: n }, () => this.rng.int(2));
    return this.g.constant({ dtype, shape: [...shape], data });
  }

  finish(outputs: readonly Value[], tolerance?: Tolerance): ForwardCase {
    outputs.forEach((v, i) => this.g.output(v, v.name in this.feeds ? `out${i}` : undefined));
    return { name: this.name, graph: this.g.build(), feeds: { ...this.feeds }, ...(tolerance ? { tolerance } : {}) };
  }
}

/** One case: `body` builds the graph on a fresh builder and returns the values to compare. */
export function forwardCase(name: string, body: (c: ForwardCaseBuilder, g: GraphBuilder) => Value | readonly Value[], tolerance?: Tolerance): ForwardCase {
  const c = new ForwardCaseBuilder(name);
  const out = body(c, c.g);
  return c.finish(Array.isArray(out) ? out : [out as Value], tolerance);
}
