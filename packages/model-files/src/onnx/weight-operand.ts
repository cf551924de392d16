/**
 * The pieces the ONNX role readers share: a constant operand of a node (its shape known at once, its values
 * computed when asked), the matrix it becomes (a spec whose data is computed only when the item is yielded),
 * and the skipped item for a weight that only exists at run time.
 */
import { ModelFileError } from '@rank-collapse/backend';
import type { WeightRole } from '../weight-matrix.js';
import type { ConstantFolder, ConstantValue } from './constant-folder.js';
import type { ConstantSource, ScopedNode } from './graph-scope.js';

/** A weight matrix before its data is read. */
export interface MatrixSpec {
  readonly name: string;
  readonly tensor: string;
  readonly role: WeightRole;
  readonly op: string;
  readonly shape: readonly number[];
  readonly rows: number;
  readonly cols: number;
  readonly note: string | null;
  /** The stored tensors the data comes from (they are not listed as skipped). */
  readonly sources: readonly ConstantSource[];
  /** rows·cols values, row-major, computed now (not kept). */
  data(): Float64Array;
}

/** A tensor (or a node's weight) listed as not analyzed. */
export interface SkipSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly reason: string;
  /** The stored tensors this item speaks for (they are not listed again). */
  readonly sources?: readonly ConstantSource[];
}

/** What one node contributes. */
export interface NodeWeights {
  readonly matrices: MatrixSpec[];
  readonly skipped: SkipSpec[];
}

export const NONE: NodeWeights = { matrices: [], skipped: [] };

/** A constant operand: its folded shape and sources, and its values on demand (possibly dequantized). */
export interface WeightOperand {
  readonly name: string;
  readonly value: ConstantValue;
  /** How the values were obtained beyond reading a stored tensor (folds, dequantization). */
  readonly steps: readonly string[];
  values(): Float64Array;
}

/** What a node's input is, for the role readers. */
export type OperandStatus =
  | { readonly kind: 'constant'; readonly operand: WeightOperand }
  | { readonly kind: 'derived'; readonly reason: string }
  | { readonly kind: 'runtime' }
  | { readonly kind: 'absent' }
  /** A constant with no elements: nothing to analyze (and its other dims need not be plausible). */
  | { readonly kind: 'empty' };

/** Reads the role of one node's inputs; the folder answers constness and values. */
export class OperandReader {
  constructor(
    readonly folder: ConstantFolder,
    readonly file: string,
  ) {}

  operand(node: ScopedNode, index: number): OperandStatus {
    const name = node.proto.input?.[index] ?? '';
    if (!name) return { kind: 'absent' };
    const status = this.folder.status(name, node.scope);
    if (status.kind !== 'constant') return status;
    if (status.shape.includes(0)) return { kind: 'empty' };
    return { kind: 'constant', operand: { name, value: status, steps: status.steps, values: () => this.folder.values(name, node.scope) } };
  }

  /** @throws ModelFileError naming the file and node. */
  fail(node: ScopedNode, problem: string): never {
    throw new ModelFileError(this.file, `${node.opType} node "${node.label}": ${problem}`);
  }
}

/** A matrix spec from an operand; `note` parts are joined with the folding steps. */
export function matrixOf(
  node: ScopedNode,
  operand: WeightOperand,
  spec: { name: string; role: WeightRole; rows: number; cols: number; note?: string | null; data: (values: Float64Array) => Float64Array },
): MatrixSpec {
  const notes = [spec.note, operand.steps.length > 0 ? `folded from ${sourceLabel(operand)} through ${operand.steps.join(', ')}` : null].filter(Boolean);
  return {
    name: spec.name,
    tensor: sourceLabel(operand),
    role: spec.role,
    op: node.opType,
    shape: operand.value.shape,
    rows: spec.rows,
    cols: spec.cols,
    note: notes.length > 0 ? notes.join('; ') : null,
    sources: operand.value.sources,
    data: () => spec.data(operand.values()),
  };
}

function sourceLabel(operand: WeightOperand): string {
  const labels = [...new Set(operand.value.sources.map((s) => s.label))];
  return labels.length > 0 ? labels.join(' + ') : operand.name;
}

/** The skipped item for a weight slot whose value is computed at run time. */
export function runtimeWeight(node: ScopedNode, what: string, status: OperandStatus): NodeWeights {
  if (status.kind === 'empty') return { matrices: [], skipped: [{ name: node.label, shape: [], reason: `${what} is an empty tensor` }] };
  const why = status.kind === 'derived' ? `: ${status.reason}` : status.kind === 'runtime' ? ' (a run-time value)' : '';
  return { matrices: [], skipped: [{ name: node.label, shape: [], reason: `${what} is computed at run time${why}` }] };
}
