/**
 * Which values of an ONNX graph are constants, and their values: initializers, Constant nodes, and what
 * Identity/Cast/Transpose/Reshape/Flatten/Squeeze/Unsqueeze/Slice/Concat/DequantizeLinear compute from them,
 * folded in float64 over host arrays. Values are computed on demand and not kept (except small ones, shapes and
 * axes, and the last large one, so that the matrices cut from one tensor read it once).
 */
import { ModelFileError } from '@rank-collapse/backend';
import { gather, permute, sizeOf, stridesOf } from './array-layout.js';
import { QuantLayoutError, dequantize } from './dequantize.js';
import { isDefaultDomain, type ConstantSource, type GraphScope, type ScopedNode } from './graph-scope.js';
import { intAttribute, intsAttribute } from './node-attributes.js';
import { ONNX_DTYPE } from './proto/onnx-proto.js';
import { TensorReadError, decodeTensorProto, elementTypeName, isReadableElementType, type TensorSource } from './proto/read-tensor-proto.js';

/** A value the folder can compute without running the model. */
export interface ConstantValue {
  readonly kind: 'constant';
  readonly shape: readonly number[];
  readonly elementType: number;
  /** The stored tensors its data comes from (not its shape or scale operands). */
  readonly sources: readonly ConstantSource[];
  /** The folded ops and dequantizations, in order, for notes. */
  readonly steps: readonly string[];
  readonly depth: number;
}

/** What a value is: a foldable constant, computed from constants by an op the folder does not fold, or a run-time value. */
export type ValueStatus = ConstantValue | { readonly kind: 'derived'; readonly reason: string } | { readonly kind: 'runtime' };

const FOLDABLE = new Set(['Identity', 'Cast', 'Transpose', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Slice', 'Concat', 'DequantizeLinear']);
/** Inputs that carry the data (the rest are shapes, axes, scales). */
const DATA_INPUTS: Record<string, 'first' | 'all'> = { Concat: 'all' };
/** Longest fold chain followed (a guard against pathological files). */
const MAX_DEPTH = 64;
/** Values up to this many elements (shapes, axes, scales) are kept once computed. */
const SMALL = 4096;
const INTEGER_TYPES = new Set<number>([ONNX_DTYPE.UINT8, ONNX_DTYPE.INT8, ONNX_DTYPE.UINT16, ONNX_DTYPE.INT16, ONNX_DTYPE.INT32, ONNX_DTYPE.INT64, ONNX_DTYPE.UINT32, ONNX_DTYPE.UINT64, ONNX_DTYPE.UINT4, ONNX_DTYPE.INT4]);

export class ConstantFolder {
  private readonly statuses = new Map<GraphScope, Map<string, ValueStatus>>();
  private readonly small = new Map<object, Map<string, Float64Array>>();
  private last: { scope: object; name: string; values: Float64Array } | undefined;

  constructor(
    readonly file: string,
    readonly source: TensorSource,
  ) {}

  /** Classifies every value of `scope` and its subgraphs, in node order (ONNX graphs are topologically sorted). */
  analyze(scope: GraphScope): void {
    const own = new Map<string, ValueStatus>();
    this.statuses.set(scope, own);
    for (const node of scope.nodes) {
      const status = this.classify(node);
      for (const o of node.proto.output ?? []) if (o && scope.producers.get(o) === node) own.set(o, status);
      for (const child of node.subgraphs) this.analyze(child);
    }
  }

  /** What `name` is, seen from `scope`. Names not yet computed (unsorted graphs, missing values) are run-time values. */
  status(name: string, scope: GraphScope): ValueStatus {
    const r = scope.resolve(name);
    if (r.kind === 'runtime') {
      const unreadable = findUnreadable(scope, name);
      return unreadable ? { kind: 'derived', reason: unreadable } : { kind: 'runtime' };
    }
    if (r.kind === 'constant') {
      const type = r.source.tensor.dataType ?? 0;
      if (!isReadableElementType(type)) return { kind: 'derived', reason: `${r.source.origin} "${r.source.label}" holds ${elementTypeName(type)} values` };
      return { kind: 'constant', shape: (r.source.tensor.dims ?? []).map(Number), elementType: type, sources: [r.source], steps: [], depth: 0 };
    }
    return this.statuses.get(r.scope)?.get(name) ?? { kind: 'runtime' };
  }

  /** The values of a constant, row-major, in float64. @throws ModelFileError naming the file and the tensor or node. */
  values(name: string, scope: GraphScope): Float64Array {
    const r = scope.resolve(name);
    const owner: object = r.kind === 'constant' ? r.source : (r.scope ?? scope);
    const kept = this.small.get(owner)?.get(name) ?? (this.last && this.last.scope === owner && this.last.name === name ? this.last.values : undefined);
    if (kept) return kept;
    const status = this.status(name, scope);
    if (status.kind !== 'constant') throw new ModelFileError(this.file, `value "${name}" is not a constant`);
    let values: Float64Array;
    if (r.kind === 'constant') values = this.decode(r.source);
    else if (r.kind === 'node') values = this.evaluate(r.node, status);
    else throw new ModelFileError(this.file, `value "${name}" is not a constant`);
    if (values.length <= SMALL) {
      if (!this.small.has(owner)) this.small.set(owner, new Map());
      this.small.get(owner)!.set(name, values);
    } else this.last = { scope: owner, name, values };
    return values;
  }

  /** A stored tensor in float64. */
  decode(source: ConstantSource): Float64Array {
    try {
      const { values } = decodeTensorProto(source.tensor, this.source, `${source.origin} "${source.label}"`);
      if (values instanceof Float64Array) return values;
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Float64Array.from(values, (v) => Number(v));
      return Float64Array.from(values as ArrayLike<number>);
    } catch (error) {
      if (error instanceof TensorReadError) throw new ModelFileError(this.file, error.message, { cause: error });
      throw error;
    }
  }

  private fail(node: ScopedNode, problem: string, cause?: unknown): never {
    throw new ModelFileError(this.file, `${node.opType} node "${node.label}": ${problem}`, cause === undefined ? undefined : { cause });
  }

  private classify(node: ScopedNode): ValueStatus {
    const inputs = (node.proto.input ?? []).filter(Boolean).map((name) => this.status(name, node.scope));
    if (inputs.some((s) => s.kind === 'runtime')) return { kind: 'runtime' };
    const derived = inputs.find((s) => s.kind === 'derived');
    const foldable = FOLDABLE.has(node.opType) && isDefaultDomain(node.domain) && (node.proto.output ?? []).length === 1;
    if (!foldable || inputs.length === 0) return { kind: 'derived', reason: `computed by ${node.opType} node "${node.label}" at run time` };
    if (derived) return derived;
    const constants = inputs as ConstantValue[];
    const depth = 1 + Math.max(...constants.map((c) => c.depth));
    if (depth > MAX_DEPTH) return { kind: 'derived', reason: `a chain of more than ${MAX_DEPTH} constant ops ends at ${node.opType} node "${node.label}"` };
    const data = DATA_INPUTS[node.opType] === 'all' ? constants : [constants[0]];
    const shape = this.outputShape(node, constants);
    const elementType = node.opType === 'Cast' ? intAttribute(node.proto, 'to', ONNX_DTYPE.FLOAT) : node.opType === 'DequantizeLinear' ? ONNX_DTYPE.FLOAT : constants[0].elementType;
    const step = node.opType === 'DequantizeLinear' ? this.dequantizeStep(node, constants) : node.opType;
    return {
      kind: 'constant',
      shape,
      elementType,
      sources: data.flatMap((c) => c.sources),
      steps: [...data.flatMap((c) => c.steps), step],
      depth,
    };
  }

  private dequantizeStep(node: ScopedNode, inputs: ConstantValue[]): string {
    const scale = inputs[1];
    const from = elementTypeName(inputs[0].elementType);
    if (!scale || sizeOf(scale.shape) === 1) return `dequantized from ${from} (per-tensor scale)`;
    const blockSize = intAttribute(node.proto, 'block_size', 0);
    const axis = intAttribute(node.proto, 'axis', 1);
    return blockSize > 0 ? `dequantized from ${from} (blocks of ${blockSize} along axis ${axis})` : `dequantized from ${from} (per-axis scales along axis ${axis})`;
  }

  /** Integer operands (shapes, axes, starts) as numbers. */
  private ints(node: ScopedNode, index: number): number[] | undefined {
    const name = node.proto.input?.[index];
    if (!name) return undefined;
    return Array.from(this.values(name, node.scope), Number);
  }

  private axisOf(node: ScopedNode, axis: number, rank: number): number {
    const a = axis < 0 ? axis + rank : axis;
    if (!Number.isInteger(a) || a < 0 || a >= rank) this.fail(node, `axis ${axis} is outside a rank-${rank} tensor`);
    return a;
  }

  private outputShape(node: ScopedNode, inputs: ConstantValue[]): number[] {
    const shape = [...inputs[0].shape];
    const rank = shape.length;
    switch (node.opType) {
      case 'Identity':
      case 'Cast':
      case 'DequantizeLinear':
        return shape;
      case 'Transpose':
        return this.perm(node, rank).map((p) => shape[p]);
      case 'Flatten': {
        const axis = intAttribute(node.proto, 'axis', 1);
        const a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) this.fail(node, `axis ${axis} is outside a rank-${rank} tensor`);
        return [sizeOf(shape.slice(0, a)), sizeOf(shape.slice(a))];
      }
      case 'Reshape':
        return this.reshape(node, shape);
      case 'Squeeze': {
        const axes = (this.ints(node, 1) ?? intsAttribute(node.proto, 'axes'))?.map((a) => this.axisOf(node, a, rank));
        if (axes?.some((a) => shape[a] !== 1)) this.fail(node, `squeezes axes [${axes}] of shape [${shape}], not all of length 1`);
        return shape.filter((d, k) => (axes ? !axes.includes(k) : d !== 1));
      }
      case 'Unsqueeze': {
        const raw = this.ints(node, 1) ?? intsAttribute(node.proto, 'axes') ?? [];
        const outRank = rank + raw.length;
        const axes = raw.map((a) => this.axisOf(node, a, outRank));
        if (new Set(axes).size !== axes.length) this.fail(node, `repeated axes [${raw}]`);
        const out: number[] = [];
        let k = 0;
        for (let i = 0; i < outRank; i++) out.push(axes.includes(i) ? 1 : shape[k++]);
        return out;
      }
      case 'Slice':
        return this.slice(node, shape).shape;
      case 'Concat': {
        const axis = this.axisOf(node, intAttribute(node.proto, 'axis', 0), rank);
        const out = [...shape];
        out[axis] = 0;
        for (const input of inputs) {
          if (input.shape.length !== rank || input.shape.some((d, k) => k !== axis && d !== shape[k])) this.fail(node, `inputs of shapes [${shape}] and [${input.shape}] do not concatenate along axis ${axis}`);
          out[axis] += input.shape[axis];
        }
        return out;
      }
      default:
        return this.fail(node, 'is not folded');
    }
  }

  private perm(node: ScopedNode, rank: number): number[] {
    const perm = intsAttribute(node.proto, 'perm') ?? [...Array(rank).keys()].reverse();
    if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) this.fail(node, `perm [${perm}] is not a permutation of ${rank} axes`);
    return perm;
  }

  private reshape(node: ScopedNode, shape: number[]): number[] {
    const target = this.ints(node, 1) ?? intsAttribute(node.proto, 'shape');
    if (!target) this.fail(node, 'has no shape');
    const allowZero = intAttribute(node.proto, 'allowzero', 0) === 1;
    const out = target.map((d, k) => (d === 0 && !allowZero ? shape[k] : d));
    const count = sizeOf(shape);
    const unknown = out.filter((d) => d === -1).length;
    if (unknown > 1 || out.some((d) => d === undefined || d < -1 || !Number.isInteger(d))) this.fail(node, `shape [${target}] is not a valid reshape of [${shape}]`);
    if (unknown === 1) {
      const known = sizeOf(out.filter((d) => d !== -1));
      if (known === 0 || count % known !== 0) this.fail(node, `cannot reshape [${shape}] to [${target}]`);
      out[out.indexOf(-1)] = count / known;
    }
    if (sizeOf(out) !== count) this.fail(node, `cannot reshape [${shape}] (${count} values) to [${out}]`);
    return out;
  }

  private slice(node: ScopedNode, shape: number[]): { shape: number[]; offset: number; strides: number[] } {
    const rank = shape.length;
    const byInput = (node.proto.input ?? []).length > 1;
    const starts = (byInput ? this.ints(node, 1) : intsAttribute(node.proto, 'starts')) ?? [];
    const ends = (byInput ? this.ints(node, 2) : intsAttribute(node.proto, 'ends')) ?? [];
    const axes = (byInput ? this.ints(node, 3) : intsAttribute(node.proto, 'axes')) ?? starts.map((_, i) => i);
    const steps = (byInput ? this.ints(node, 4) : undefined) ?? starts.map(() => 1);
    if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) this.fail(node, 'starts, ends, axes and steps differ in length');
    const inStrides = stridesOf(shape);
    const out = [...shape];
    const strides = [...inStrides];
    let offset = 0;
    starts.forEach((s, i) => {
      const axis = this.axisOf(node, axes[i], rank);
      const d = shape[axis];
      const step = steps[i];
      if (step === 0 || !Number.isFinite(step)) this.fail(node, 'step 0');
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
      const norm = (v: number) => (v < 0 ? v + d : v);
      const start = step > 0 ? clamp(norm(s), 0, d) : clamp(norm(s), -1, d - 1);
      const end = step > 0 ? clamp(norm(ends[i]), 0, d) : clamp(norm(ends[i]), -1, d - 1);
      const n = step > 0 ? Math.max(0, Math.ceil((end - start) / step)) : Math.max(0, Math.ceil((start - end) / -step));
      out[axis] = n;
      strides[axis] = inStrides[axis] * step;
      if (n > 0) offset += start * inStrides[axis];
    });
    return { shape: out, offset, strides };
  }

  private evaluate(node: ScopedNode, status: ConstantValue): Float64Array {
    const inputs = node.proto.input ?? [];
    const input = (k: number) => this.values(inputs[k], node.scope);
    const inputShape = (k: number) => (this.status(inputs[k], node.scope) as ConstantValue).shape;
    switch (node.opType) {
      case 'Identity':
      case 'Reshape':
      case 'Flatten':
      case 'Squeeze':
      case 'Unsqueeze':
        return input(0);
      case 'Cast': {
        const x = input(0);
        if (INTEGER_TYPES.has(status.elementType)) return x.map(Math.trunc);
        if (status.elementType === ONNX_DTYPE.BOOL) return x.map((v) => (v !== 0 ? 1 : 0));
        if (status.elementType === ONNX_DTYPE.FLOAT) return x.map(Math.fround);
        return x;
      }
      case 'Transpose': {
        const shape = inputShape(0);
        return permute(input(0), shape, this.perm(node, shape.length));
      }
      case 'Slice': {
        const s = this.slice(node, [...inputShape(0)]);
        return gather(input(0), s.shape, s.strides, s.offset);
      }
      case 'Concat': {
        const axis = this.axisOf(node, intAttribute(node.proto, 'axis', 0), status.shape.length);
        const outer = sizeOf(status.shape.slice(0, axis));
        const out = new Float64Array(sizeOf(status.shape));
        const rowLength = sizeOf(status.shape.slice(axis));
        let column = 0;
        inputs.forEach((_, k) => {
          const x = input(k);
          const width = sizeOf(inputShape(k).slice(axis));
          for (let o = 0; o < outer; o++) out.set(x.subarray(o * width, (o + 1) * width), o * rowLength + column);
          column += width;
        });
        return out;
      }
      case 'DequantizeLinear': {
        const shape = inputShape(0);
        const scale = inputs[1] ? { values: input(1), shape: inputShape(1) } : undefined;
        const zero = inputs[2] ? { values: input(2), shape: inputShape(2) } : undefined;
        try {
          return dequantize(input(0), shape, scale, zero, { kind: 'axis', axis: intAttribute(node.proto, 'axis', 1), blockSize: intAttribute(node.proto, 'block_size', 0) });
        } catch (error) {
          if (error instanceof QuantLayoutError) this.fail(node, error.message, error);
          throw error;
        }
      }
      default:
        return this.fail(node, 'is not folded');
    }
  }
}

function findUnreadable(scope: GraphScope, name: string): string | undefined {
  for (let s: GraphScope | undefined = scope; s; s = s.parent) {
    const reason = s.unreadableConstants.get(name);
    if (reason) return reason;
  }
  return undefined;
}
