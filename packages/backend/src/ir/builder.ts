/**
 * GraphBuilder: builds IR graphs that read like the math, inferring shapes and dtypes at every step
 * (errors name the op and the input shapes at the line that built them).
 */
import { GraphError } from '../errors.js';
import { inferNode } from './ops.js';
import type { DType, Dim, Graph, HostTensor, Node, OpAttrs, OpType, ParamInfo, ParamRole, Shape, TensorType, ValueInfo } from './types.js';

/** A handle to a value of the graph being built. */
export interface Value extends TensorType {
  readonly name: string;
}

export interface NodeOptions {
  /** Node name, also the output value's name for single-output nodes. Default: op + counter. */
  name?: string;
}

type NoAttrs = Record<string, never>;

export class GraphBuilder {
  private readonly inputs: ValueInfo[] = [];
  private readonly params: ParamInfo[] = [];
  private readonly nodes: Node[] = [];
  private readonly outputs: string[] = [];
  private readonly values = new Map<string, TensorType>();
  private readonly nodeNames = new Set<string>();
  private counter = 0;

  constructor(readonly name = 'graph') {}

  /** Starts a builder holding a copy of `graph` (its outputs included), to extend it. */
  static from(graph: Graph, name = graph.name): GraphBuilder {
    const b = new GraphBuilder(name);
    b.inputs.push(...graph.inputs);
    b.params.push(...graph.params);
    b.nodes.push(...graph.nodes);
    b.outputs.push(...graph.outputs);
    for (const [k, v] of graph.values) b.values.set(k, v);
    for (const n of graph.nodes) b.nodeNames.add(n.name);
    b.counter = graph.nodes.length;
    return b;
  }

  /** A run-time input (data fed each run). */
  input(name: string, dtype: DType, shape: Shape): Value {
    this.claim(name);
    const info: ValueInfo = { name, dtype, shape: [...shape] };
    this.inputs.push(info);
    this.values.set(name, info);
    return info;
  }

  /** A float32 parameter kept resident on the backend between runs. */
  param(name: string, shape: readonly number[], role: ParamRole = 'other'): Value {
    this.claim(name);
    if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new GraphError(`param "${name}": shape [${shape}] must be non-negative integers`);
    const info: ParamInfo = { name, dtype: 'float32', shape: [...shape], role };
    this.params.push(info);
    this.values.set(name, info);
    return info;
  }

  /** The value of an existing name (input, param or node output). */
  value(name: string): Value {
    const t = this.values.get(name);
    if (!t) throw new GraphError(`graph "${this.name}" has no value "${name}"`);
    return { name, dtype: t.dtype, shape: t.shape };
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Marks values as graph outputs; with `as`, the output gets that name (through an Identity). */
  output(value: Value, as?: string): Value {
    let v = value;
    if (as !== undefined && as !== value.name) v = this.node('Identity', [value], {} as NoAttrs, { name: as })[0];
    if (!this.outputs.includes(v.name)) this.outputs.push(v.name);
    return v;
  }

  /** Adds any op; returns its outputs. Inputs may be `undefined` for omitted optional inputs. */
  node<T extends OpType>(op: T, inputs: readonly (Value | undefined)[], attrs: OpAttrs[T], options: NodeOptions & { outputs?: string[] } = {}): Value[] {
    const name = options.name ?? this.fresh(op);
    if (this.nodeNames.has(name)) throw new GraphError(`graph "${this.name}": node name "${name}" is used twice`);
    // Trailing omitted inputs are dropped so arity checks see what was given.
    let last = inputs.length;
    while (last > 0 && inputs[last - 1] === undefined) last--;
    const given = inputs.slice(0, last);
    for (const v of given) if (v && !this.values.has(v.name)) throw new GraphError(`${op} node "${name}": input "${v.name}" is not a value of graph "${this.name}"`);
    const types = inferNode(op, name, given.map((v) => (v ? this.values.get(v.name) : undefined)), attrs);
    const outNames = options.outputs ?? types.map((_, i) => (i === 0 && options.name !== undefined ? name : i === 0 ? name : `${name}:${i}`));
    if (outNames.length !== types.length) throw new GraphError(`${op} node "${name}": has ${types.length} outputs, ${outNames.length} names given`);
    for (const o of outNames) this.claim(o);
    this.nodeNames.add(name);
    this.nodes.push({ op, name, inputs: given.map((v) => v?.name ?? ''), outputs: outNames, attrs });
    return types.map((t, i) => {
      this.values.set(outNames[i], t);
      return { name: outNames[i], dtype: t.dtype, shape: t.shape };
    });
  }

  build(): Graph {
    for (const o of this.outputs) if (!this.values.has(o)) throw new GraphError(`graph "${this.name}": output "${o}" is not a value`);
    return {
      name: this.name,
      inputs: [...this.inputs],
      params: [...this.params],
      nodes: [...this.nodes],
      outputs: [...this.outputs],
      values: new Map(this.values),
    };
  }

  // ---- one method per op, reading like the math --------------------------------------------------------

  constant(value: HostTensor, o?: NodeOptions): Value {
    return this.node('Constant', [], { value }, o)[0];
  }
  /** A float32 scalar (shape []) constant. */
  scalar(x: number, o?: NodeOptions): Value {
    return this.constant({ dtype: 'float32', shape: [], data: new Float32Array([x]) }, o);
  }
  matmul(a: Value, b: Value, attrs: OpAttrs['MatMul'] = {}, o?: NodeOptions): Value {
    return this.node('MatMul', [a, b], attrs, o)[0];
  }
  gemm(a: Value, b: Value, c?: Value, attrs: OpAttrs['Gemm'] = {}, o?: NodeOptions): Value {
    return this.node('Gemm', [a, b, c], attrs, o)[0];
  }
  add(a: Value, b: Value, o?: NodeOptions): Value {
    return this.node('Add', [a, b], {} as NoAttrs, o)[0];
  }
  sub(a: Value, b: Value, o?: NodeOptions): Value {
    return this.node('Sub', [a, b], {} as NoAttrs, o)[0];
  }
  mul(a: Value, b: Value, o?: NodeOptions): Value {
    return this.node('Mul', [a, b], {} as NoAttrs, o)[0];
  }
  div(a: Value, b: Value, o?: NodeOptions): Value {
    return this.node('Div', [a, b], {} as NoAttrs, o)[0];
  }
  neg(x: Value, o?: NodeOptions): Value {
    return this.node('Neg', [x], {} as NoAttrs, o)[0];
  }
  exp(x: Value, o?: NodeOptions): Value {
    return this.node('Exp', [x], {} as NoAttrs, o)[0];
  }
  log(x: Value, o?: NodeOptions): Value {
    return this.node('Log', [x], {} as NoAttrs, o)[0];
  }
  sqrt(x: Value, o?: NodeOptions): Value {
    return this.node('Sqrt', [x], {} as NoAttrs, o)[0];
  }
  abs(x: Value, o?: NodeOptions): Value {
    return this.node('Abs', [x], {} as NoAttrs, o)[0];
  }
  relu(x: Value, o?: NodeOptions): Value {
    return this.node('Relu', [x], {} as NoAttrs, o)[0];
  }
  leakyRelu(x: Value, alpha = 0.01, o?: NodeOptions): Value {
    return this.node('LeakyRelu', [x], { alpha }, o)[0];
  }
  tanh(x: Value, o?: NodeOptions): Value {
    return this.node('Tanh', [x], {} as NoAttrs, o)[0];
  }
  sigmoid(x: Value, o?: NodeOptions): Value {
    return this.node('Sigmoid', [x], {} as NoAttrs, o)[0];
  }
  clip(x: Value, attrs: OpAttrs['Clip'], o?: NodeOptions): Value {
    return this.node('Clip', [x], attrs, o)[0];
  }
  greater(a: Value, b: Value, o?: NodeOptions): Value {
    return this.node('Greater', [a, b], {} as NoAttrs, o)[0];
  }
  equal(a: Value, b: Value, o?: NodeOptions): Value {
    return this.node('Equal', [a, b], {} as NoAttrs, o)[0];
  }
  where(cond: Value, x: Value, y: Value, o?: NodeOptions): Value {
    return this.node('Where', [cond, x, y], {} as NoAttrs, o)[0];
  }
  reshape(x: Value, shape: readonly number[], o?: NodeOptions): Value {
    return this.node('Reshape', [x], { shape }, o)[0];
  }
  transpose(x: Value, perm?: readonly number[], o?: NodeOptions): Value {
    return this.node('Transpose', [x], perm ? { perm } : {}, o)[0];
  }
  flatten(x: Value, axis = 1, o?: NodeOptions): Value {
    return this.node('Flatten', [x], { axis }, o)[0];
  }
  squeeze(x: Value, axes: readonly number[], o?: NodeOptions): Value {
    return this.node('Squeeze', [x], { axes }, o)[0];
  }
  unsqueeze(x: Value, axes: readonly number[], o?: NodeOptions): Value {
    return this.node('Unsqueeze', [x], { axes }, o)[0];
  }
  expand(x: Value, shape: readonly Dim[], o?: NodeOptions): Value {
    return this.node('Expand', [x], { shape }, o)[0];
  }
  concat(xs: readonly Value[], axis: number, o?: NodeOptions): Value {
    return this.node('Concat', xs, { axis }, o)[0];
  }
  slice(x: Value, attrs: OpAttrs['Slice'], o?: NodeOptions): Value {
    return this.node('Slice', [x], attrs, o)[0];
  }
  pad(x: Value, pads: readonly number[], value = 0, o?: NodeOptions): Value {
    return this.node('Pad', [x], { pads, value }, o)[0];
  }
  reduceSum(x: Value, axes?: readonly number[], keepdims = true, o?: NodeOptions): Value {
    return this.node('ReduceSum', [x], { axes, keepdims }, o)[0];
  }
  reduceMean(x: Value, axes?: readonly number[], keepdims = true, o?: NodeOptions): Value {
    return this.node('ReduceMean', [x], { axes, keepdims }, o)[0];
  }
  reduceMax(x: Value, axes?: readonly number[], keepdims = true, o?: NodeOptions): Value {
    return this.node('ReduceMax', [x], { axes, keepdims }, o)[0];
  }
  softmax(x: Value, axis = -1, o?: NodeOptions): Value {
    return this.node('Softmax', [x], { axis }, o)[0];
  }
  logSoftmax(x: Value, axis = -1, o?: NodeOptions): Value {
    return this.node('LogSoftmax', [x], { axis }, o)[0];
  }
  conv(x: Value, w: Value, b?: Value, attrs: OpAttrs['Conv'] = {}, o?: NodeOptions): Value {
    return this.node('Conv', [x, w, b], attrs, o)[0];
  }
  convTranspose(x: Value, w: Value, b?: Value, attrs: OpAttrs['ConvTranspose'] = {}, o?: NodeOptions): Value {
    return this.node('ConvTranspose', [x, w, b], attrs, o)[0];
  }
  averagePool(x: Value, attrs: OpAttrs['AveragePool'], o?: NodeOptions): Value {
    return this.node('AveragePool', [x], attrs, o)[0];
  }
  globalAveragePool(x: Value, o?: NodeOptions): Value {
    return this.node('GlobalAveragePool', [x], {} as NoAttrs, o)[0];
  }
  maxPool(x: Value, attrs: OpAttrs['MaxPool'], o?: NodeOptions): Value {
    return this.node('MaxPool', [x], attrs, o)[0];
  }
  /** Inference-mode batch norm: one output. */
  batchNorm(x: Value, scale: Value, bias: Value, mean: Value, variance: Value, attrs: { epsilon?: number } = {}, o?: NodeOptions): Value {
    return this.node('BatchNormalization', [x, scale, bias, mean, variance], { ...attrs, training: false }, o)[0];
  }
  /** Training-mode batch norm: [Y, new running mean, new running var]. */
  batchNormTraining(x: Value, scale: Value, bias: Value, mean: Value, variance: Value, attrs: { epsilon?: number; momentum?: number } = {}, o?: NodeOptions): [Value, Value, Value] {
    const [y, m, v] = this.node('BatchNormalization', [x, scale, bias, mean, variance], { ...attrs, training: true }, o);
    return [y, m, v];
  }
  identity(x: Value, o?: NodeOptions): Value {
    return this.node('Identity', [x], {} as NoAttrs, o)[0];
  }
  cast(x: Value, to: DType, o?: NodeOptions): Value {
    return this.node('Cast', [x], { to }, o)[0];
  }

  private claim(name: string): void {
    if (!name) throw new GraphError(`graph "${this.name}": empty value name`);
    if (this.values.has(name)) throw new GraphError(`graph "${this.name}": value name "${name}" is used twice`);
  }

  private fresh(op: string): string {
    let name: string;
    do name = `${op}_${this.counter++}`;
    while (this.nodeNames.has(name) || this.values.has(name));
    return name;
  }
}
