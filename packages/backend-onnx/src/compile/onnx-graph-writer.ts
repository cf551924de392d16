/**
 * Accumulates the nodes and initializers of an ONNX graph while IR nodes are lowered, with fresh value
 * names that cannot collide with IR names, and int64 shape tensors that carry the symbolic batch dim.
 */
import { GraphError, type Dim, type Graph, type HostTensor, type TensorType } from '@rank-collapse/backend';
import type { AttributeProto, NodeProto } from '@rank-collapse/model-files/onnx';
import { intAttr, tensorAttr } from './attributes.js';

export class OnnxGraphWriter {
  readonly nodes: NodeProto[] = [];
  private readonly taken = new Set<string>();
  private readonly int64Cache = new Map<string, string>();
  private readonly floatCache = new Map<number, string>();
  private readonly dimCache = new Map<string, string>();
  private readonly onesCache = new Map<string, string>();
  private counter = 0;

  constructor(
    readonly graph: Graph,
    /** See CompileToOnnxOptions.portable. */
    readonly portable = false,
  ) {
    for (const name of graph.values.keys()) this.taken.add(name);
    for (const n of graph.nodes) this.taken.add(n.name);
  }

  /** A value or node name no IR name uses: `hint` when free, else `hint#k`. */
  fresh(hint: string): string {
    let name = hint;
    while (this.taken.has(name)) name = `${hint}#${++this.counter}`;
    this.taken.add(name);
    return name;
  }

  typeOf(value: string): TensorType {
    const t = this.graph.values.get(value);
    if (!t) throw new GraphError(`graph "${this.graph.name}": no value "${value}"`);
    return t;
  }

  /** Appends a node; returns its first output name. */
  add(opType: string, name: string, inputs: readonly string[], outputs: readonly string[], attribute: AttributeProto[] = []): string {
    this.nodes.push({ opType, name, input: [...inputs], output: [...outputs], attribute });
    return outputs[0];
  }

  /** Appends a node with one fresh output named after `hint`; returns that output. */
  emit(opType: string, hint: string, inputs: readonly string[], attribute: AttributeProto[] = []): string {
    const out = this.fresh(hint);
    return this.add(opType, out, inputs, [out], attribute);
  }

  /**
   * A constant value as a Constant node (not an initializer: an exported file then holds only the params as
   * initializers, and re-importing it finds no stray parameters). onnxruntime folds it once at load.
   */
  initializer(hint: string, t: HostTensor): string {
    const name = this.fresh(hint);
    this.add('Constant', this.fresh(`${hint}/node`), [], [name], [tensorAttr('value', t)]);
    return name;
  }

  /** A 1-D int64 initializer (shared between nodes asking for the same values). */
  int64s(values: readonly number[]): string {
    const key = values.join(',');
    let name = this.int64Cache.get(key);
    if (!name) {
      name = this.initializer(`const/int64[${key}]`, { dtype: 'int64', shape: [values.length], data: BigInt64Array.from(values, (v) => BigInt(v)) });
      this.int64Cache.set(key, name);
    }
    return name;
  }

  /** A float32 scalar initializer (shared). */
  scalar(value: number): string {
    let name = this.floatCache.get(value);
    if (!name) {
      name = this.initializer(`const/float(${value})`, { dtype: 'float32', shape: [], data: new Float32Array([value]) });
      this.floatCache.set(value, name);
    }
    return name;
  }

  /** A float32 vector of `length` ones (shared per length), built at run time for a symbolic length. */
  ones(length: Dim, where: string): string {
    const key = String(length);
    let name = this.onesCache.get(key);
    if (!name) {
      const value = tensorAttr('value', { dtype: 'float32', shape: [1], data: new Float32Array([1]) });
      name = this.emit('ConstantOfShape', `ones[${key}]`, [this.shapeTensor([length], where)], [value]);
      this.onesCache.set(key, name);
    }
    return name;
  }

  /**
   * A 1-D int64 tensor holding `dims`; a symbolic dim is read at run time from a graph input that carries it
   * (Shape with start/end), so Expand and friends work for any batch size.
   */
  shapeTensor(dims: readonly Dim[], where: string): string {
    if (dims.every((d) => typeof d === 'number')) return this.int64s(dims as number[]);
    const parts: string[] = [];
    let run: number[] = [];
    const flush = () => {
      if (run.length) parts.push(this.int64s(run));
      run = [];
    };
    for (const d of dims) {
      if (typeof d === 'number') run.push(d);
      else {
        flush();
        parts.push(this.symbolicDim(d, where));
      }
    }
    flush();
    return parts.length === 1 ? parts[0] : this.emit('Concat', `${where}/shape`, parts, [intAttr('axis', 0)]);
  }

  private symbolicDim(symbol: string, where: string): string {
    const cached = this.dimCache.get(symbol);
    if (cached) return cached;
    for (const input of this.graph.inputs) {
      const k = input.shape.indexOf(symbol);
      if (k >= 0) {
        const out = this.emit('Shape', `dim/${symbol}`, [input.name], [intAttr('start', k), intAttr('end', k + 1)]);
        this.dimCache.set(symbol, out);
        return out;
      }
    }
    throw new GraphError(`${where}: symbolic dim "${symbol}" is not a dim of any graph input, so its run-time value is unknown`);
  }
}
