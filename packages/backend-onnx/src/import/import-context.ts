/**
 * State of one import: the IR builder, what each ONNX value name stands for (an IR value, or a constant
 * known at import time), parameters and notes. Constants stay host tensors until an op needs them as a
 * graph value, so shape arithmetic (Shape → Gather → Concat → Reshape) folds away.
 */
import { GraphBuilder, GraphError, type Dim, type DType, type HostTensor, type OpAttrs, type OpType, type ParamRole, type TensorType, type Value } from '@rank-collapse/backend';
import type { NodeProto } from '@rank-collapse/model-files/onnx';
import { NodeAttributes } from './node-attributes.js';

/** A node the IR cannot express (or not in this form): collected, then reported together. */
export class Unsupported extends Error {}

/** An input produced by a node that was not imported: not reported again, the root cause is. */
export class MissingInput extends Unsupported {}

/** Shapes or types that contradict each other: fatal, reported at once. */
export class InconsistentModel extends Error {}

/**
 * What an ONNX value stands for: a graph value; a constant; or `dims`, a 1-D (or scalar) int64 shape
 * vector with symbolic entries, e.g. Shape(x) when x has a symbolic batch dim.
 */
type Slot = { kind: 'value'; value: Value } | { kind: 'const'; tensor: HostTensor; initializer: boolean } | { kind: 'dims'; dims: Dim[]; scalar: boolean };

/** One ONNX node as the translators see it. */
export interface ImportNode {
  readonly proto: NodeProto;
  readonly opType: string;
  /** Unique IR node name: the ONNX name when it has one. */
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: NodeAttributes;
}

export class ImportContext {
  readonly builder: GraphBuilder;
  readonly params = new Map<string, HostTensor>();
  readonly notes: string[] = [];
  private readonly slots = new Map<string, Slot>();
  private readonly materialized = new Map<string, Value>();
  private readonly nodeNames = new Set<string>();
  private readonly valueNames = new Set<string>();
  private counter = 0;

  constructor(
    name: string,
    /** Version of the default (ai.onnx) opset the model imports. */
    readonly opset: number,
  ) {
    this.builder = new GraphBuilder(name);
  }

  /** Registers every name the model uses, so generated names never collide with a later one. */
  reserve(names: Iterable<string>): void {
    for (const n of names) if (n) this.valueNames.add(n);
  }

  /** A unique IR node name: `preferred` when free, else `<opType>_<k>`. */
  nodeName(preferred: string | undefined, opType: string): string {
    let name = preferred || `${opType}_${this.counter++}`;
    while (this.nodeNames.has(name)) name = `${preferred || opType}_${this.counter++}`;
    this.nodeNames.add(name);
    return name;
  }

  /** A value name no ONNX value uses. */
  freshValue(hint: string): string {
    let name = hint;
    while (this.valueNames.has(name)) name = `${hint}#${this.counter++}`;
    this.valueNames.add(name);
    return name;
  }

  node(proto: NodeProto, index: number): ImportNode {
    const opType = proto.opType ?? '';
    return { proto, opType, name: this.nodeName(proto.name, opType || `node${index}`), inputs: proto.input ?? [], outputs: proto.output ?? [], attrs: new NodeAttributes(proto) };
  }

  setValue(name: string, value: Value): void {
    this.slots.set(name, { kind: 'value', value });
  }

  setConst(name: string, tensor: HostTensor, initializer = false): void {
    this.slots.set(name, { kind: 'const', tensor, initializer });
  }

  /** Records a shape vector; fully numeric ones become ordinary int64 constants. */
  setDims(name: string, dims: readonly Dim[], scalar = false): void {
    if (dims.every((d) => typeof d === 'number')) {
      const data = BigInt64Array.from(dims as number[], (d) => BigInt(d));
      this.setConst(name, { dtype: 'int64', shape: scalar ? [] : [dims.length], data });
    } else this.slots.set(name, { kind: 'dims', dims: [...dims], scalar });
  }

  /** The entries of a shape vector (symbolic or a 0-/1-D int64 constant), or undefined. */
  dims(name: string): { dims: Dim[]; scalar: boolean } | undefined {
    const s = this.slots.get(name);
    if (s?.kind === 'dims') return { dims: s.dims, scalar: s.scalar };
    if (s?.kind === 'const' && s.tensor.dtype === 'int64' && s.tensor.shape.length <= 1) {
      return { dims: Array.from(s.tensor.data as BigInt64Array, Number), scalar: s.tensor.shape.length === 0 };
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.slots.has(name);
  }

  /** Whether `name` is an initializer (a stored tensor, conventionally a trained parameter). */
  isInitializer(name: string): boolean {
    const s = this.slots.get(name);
    return s?.kind === 'const' && s.initializer;
  }

  isConst(name: string): boolean {
    return this.slots.get(name)?.kind === 'const';
  }

  private slot(name: string): Slot {
    const s = this.slots.get(name);
    if (!s) throw new MissingInput(`its input "${name}" comes from a node that was not imported`);
    return s;
  }

  /** The constant behind `name`. @throws Unsupported when it is only known at run time. */
  constant(name: string, what: string): HostTensor {
    const s = this.slot(name);
    if (s.kind !== 'const') throw new Unsupported(`${what} must be a constant (an initializer or Constant), but "${name}" is computed at run time`);
    return s.tensor;
  }

  /** An int64 constant as numbers. */
  constantInts(name: string, what: string): number[] {
    return Array.from(this.constant(name, what).data as ArrayLike<number | bigint>, Number);
  }

  /** The constant value if `name` is one, else undefined. */
  maybeConstant(name: string): HostTensor | undefined {
    const s = this.slots.get(name);
    return s?.kind === 'const' ? s.tensor : undefined;
  }

  type(name: string): TensorType {
    const s = this.slot(name);
    if (s.kind === 'dims') return { dtype: 'int64', shape: s.scalar ? [] : [s.dims.length] };
    return s.kind === 'const' ? s.tensor : s.value;
  }

  /**
   * `name` as a graph value. A float constant becomes a parameter when it comes from an initializer or fills
   * a parameter slot (`role`), otherwise a Constant node; int64 and bool constants are Constant nodes.
   */
  value(name: string, role?: ParamRole): Value {
    const s = this.slot(name);
    if (s.kind === 'value') return s.value;
    if (s.kind === 'dims') throw new Unsupported(`"${name}" is a run-time shape [${s.dims}] used as data (only as a shape argument)`);
    const done = this.materialized.get(name);
    if (done) return done;
    let v: Value;
    if (s.tensor.dtype === 'float32' && (s.initializer || role)) {
      v = this.builder.param(name, s.tensor.shape, role ?? 'other');
      this.params.set(name, s.tensor);
    } else {
      v = this.builder.node('Constant', [], { value: s.tensor }, { name: this.nodeName(undefined, 'Constant'), outputs: [name] })[0];
    }
    this.materialized.set(name, v);
    return v;
  }

  /** Adds an IR node. @throws InconsistentModel when shape inference rejects it. */
  emit<T extends OpType>(op: T, inputs: readonly (Value | undefined)[], attrs: OpAttrs[T], name: string, outputs: string[]): Value[] {
    try {
      return this.builder.node(op, inputs, attrs, { name, outputs });
    } catch (error) {
      if (error instanceof GraphError) throw new InconsistentModel(error.message, { cause: error });
      throw error;
    }
  }

  /** Adds a one-output IR node writing ONNX value `output` and records it. */
  emitTo<T extends OpType>(output: string, op: T, inputs: readonly (Value | undefined)[], attrs: OpAttrs[T], name: string): Value {
    const [v] = this.emit(op, inputs, attrs, name, [output]);
    this.setValue(output, v);
    return v;
  }

  /** Adds an intermediate one-output IR node (generated names). */
  emitTemp<T extends OpType>(hint: string, op: T, inputs: readonly (Value | undefined)[], attrs: OpAttrs[T]): Value {
    return this.emit(op, inputs, attrs, this.nodeName(undefined, hint), [this.freshValue(hint)])[0];
  }
}

export const IR_DTYPE_OF_ONNX: Record<number, DType | undefined> = { 1: 'float32', 7: 'int64', 9: 'bool', 6: 'int64', 11: 'float32' };
