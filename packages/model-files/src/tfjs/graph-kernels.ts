/**
 * What a weight of a TF.js Graph model is, from the ops that consume it: a MatMul/BatchMatMul operand (with its
 * transpose/adjoint attributes), a convolution filter (TF keeps filters HWIO: [k…, C_in, C_out]; depthwise
 * [k…, C_in, multiplier]; Conv2DBackpropInput [k…, C_out, C_in] of the transposed conv), a constant Einsum
 * operand, or a Gather table; anything else is skipped with the ops that read it.
 */
import { ModelFileError } from '@rank-collapse/backend';
import type { WeightRole } from '../weight-matrix.js';
import { boolAttr, intAttr, stringAttr, stringListAttr, type GraphNode, type GraphTopology, type GraphUse } from './graph-topology.js';
import { kernelMatrix, type KernelMatrix } from './kernel-matrix.js';
import type { KernelPlan, PlannedMatrix } from './kernel-plan.js';
import type { TfjsWeightSpec } from './tfjs-manifest.js';

const MATMUL = new Set(['MatMul', '_FusedMatMul']);
const BATCH_MATMUL = new Set(['BatchMatMul', 'BatchMatMulV2', 'BatchMatMulV3']);
const CONV: Record<string, number> = { Conv2D: 2, _FusedConv2D: 2, Conv3D: 3 };
const DEPTHWISE = new Set(['DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);
const TRANSPOSED: Record<string, number> = { Conv2DBackpropInput: 2, Conv3DBackpropInputV2: 3 };
const GATHER = new Set(['GatherV2', 'Gather', 'ResourceGather']);
/** Most slices a batched constant MatMul operand is split into before it is skipped instead. */
const MAX_SLICES = 4096;

export interface GraphWeightContext {
  readonly file: string;
  readonly topology: GraphTopology;
  /** The value of a scalar int constant (a Gather axis), when the file holds it. */
  readonly constInt: (node: GraphNode) => number | undefined;
}

/**
 * The plan of the first op that reads `spec` as a kernel (MatMul before Gather when both do, in graph order).
 * @throws ModelFileError naming the file, the weight and the op when a kernel's rank does not fit its op.
 */
export function planGraphWeight(ctx: GraphWeightContext, spec: TfjsWeightSpec): KernelPlan {
  const uses = ctx.topology.usesOf(spec.name.replace(/:0$/, ''));
  if (uses.length === 0) return { kind: 'skip', reason: 'no op of the graph reads it' };
  const float = spec.dtype === 'float32' || spec.dtype === 'float16';
  const reasons: string[] = [];
  for (const use of uses) {
    const plan = float ? planUse(ctx, spec, use) : undefined;
    if (plan?.kind === 'read') return plan;
    reasons.push(plan?.reason ?? `${use.node.op} "${use.node.name}" (input ${use.index}${fusedArgument(use)})`);
  }
  const prefix = float ? 'read only as' : `a ${spec.dtype} tensor, read as`;
  return { kind: 'skip', reason: `${prefix} ${[...new Set(reasons)].join(', ')}; not a kernel` };
}

function fusedArgument(use: GraphUse): string {
  const fused = stringListAttr(use.node, 'fused_ops');
  return use.index >= 2 && fused.length > 0 ? `, an argument of the fused ${fused.join('+')}` : '';
}

function planUse(ctx: GraphWeightContext, spec: TfjsWeightSpec, use: GraphUse): KernelPlan | undefined {
  const { node, index } = use;
  const shape = spec.shape;
  const name = node.name;
  const bad = (expected: string) => new ModelFileError(ctx.file, `weight "${spec.name}" [${shape}] is read by ${node.op} "${name}" as input ${index}; expected ${expected}`);
  const one = (role: WeightRole, matrix: (values: Float32Array) => KernelMatrix, note: string | null): KernelPlan => ({ kind: 'read', build: (v) => [{ name, role, op: node.op, ...matrix(v), note }] });

  if ((MATMUL.has(node.op) || BATCH_MATMUL.has(node.op)) && index <= 1) {
    const batched = BATCH_MATMUL.has(node.op);
    if (shape.length < 2 || (!batched && shape.length !== 2)) throw bad(batched ? 'rank ≥ 2' : 'a rank-2 matrix');
    const transposed = boolAttr(node, batched ? (index === 0 ? 'adj_x' : 'adj_y') : index === 0 ? 'transpose_a' : 'transpose_b');
    const r = shape.length - 2;
    // z = h·B: W = Bᵀ (rows = B's columns); z = A·h: W = A.
    const [rows, cols] = (index === 1) !== transposed ? [r + 1, r] : [r, r + 1];
    const layout = `${index === 0 ? 'left' : 'right'} operand [${shape}]${transposed ? ' (transposed)' : ''} read as ${rows === r + 1 ? 'its transpose' : 'itself'}`;
    const slices = shape.slice(0, r).reduce((a, d) => a * d, 1);
    if (slices === 1) return one('dense', (v) => kernelMatrix(v, shape, [rows], [cols], zeros(r)), r > 0 ? `${layout}, leading axes of size 1 dropped` : layout);
    if (slices > MAX_SLICES) return { kind: 'skip', reason: `a batched ${node.op} operand of ${slices} matrices (more than ${MAX_SLICES})` };
    return {
      kind: 'read',
      build: (v) =>
        Array.from({ length: slices }, (_, s): PlannedMatrix => ({ name: `${name}[${s}]`, role: 'dense', op: node.op, ...kernelMatrix(v, shape, [rows], [cols], sliceIndex(shape.slice(0, r), s)), note: `batch slice ${s} of ${layout}` })),
    };
  }
  const k = CONV[node.op];
  if (k !== undefined && index === 1) {
    if (shape.length !== k + 2) throw bad(`a rank-${k + 2} HWIO filter`);
    return one('conv', (v) => kernelMatrix(v, shape, [k + 1], [k, ...range(k)]), `HWIO filter [${shape}] read as C_out × C_in·k…`);
  }
  if (DEPTHWISE.has(node.op) && index === 1) {
    if (shape.length !== 4) throw bad('a rank-4 [kh, kw, C_in, multiplier] filter');
    return one('conv', (v) => kernelMatrix(v, shape, [2, 3], [0, 1]), `depthwise filter [${shape}] (kh, kw, C_in, multiplier) read as C_in·multiplier × kh·kw: one row per output channel, each over its own input channel's window`);
  }
  const t = TRANSPOSED[node.op];
  if (t !== undefined && index === 1) {
    if (shape.length !== t + 2) throw bad(`a rank-${t + 2} [k…, C_out, C_in] filter`);
    return one('conv-transpose', (v) => kernelMatrix(v, shape, [t, ...range(t)], [t + 1]), `filter [${shape}] (k…, C_out, C_in of the transposed conv) read as C_out·k… × C_in`);
  }
  if (node.op === 'Einsum') return planEinsum(ctx, spec, use);
  if (GATHER.has(node.op) && index === 0) {
    if (shape.length < 2) return { kind: 'skip', reason: `a rank-${shape.length} table of ${node.op} "${name}"` };
    if ((intAttr(node, 'batch_dims') ?? 0) !== 0) return { kind: 'skip', reason: `a table of ${node.op} "${name}" with batch_dims` };
    const axisNode = node.op === 'GatherV2' ? ctx.topology.sourceOf(node, 2) : undefined;
    const axis = axisNode ? ctx.constInt(axisNode) : 0;
    if (axis !== undefined && axis !== 0) return { kind: 'skip', reason: `a table of ${node.op} "${name}" gathered along axis ${axis}, not rows` };
    const rest = range(shape.length).slice(1);
    return one('embedding', (v) => kernelMatrix(v, shape, rest, [0]), `table [${shape}] (vocabulary × dim) read as dim × vocabulary${axis === undefined ? '; the gather axis is not a constant of the file, taken as 0' : ''}`);
  }
  return undefined;
}

/** A constant operand of a two-operand Einsum: rows are its axes kept in the output, columns the axes it contracts with the other operand. */
function planEinsum(ctx: GraphWeightContext, spec: TfjsWeightSpec, use: GraphUse): KernelPlan {
  const { node, index } = use;
  const skip = (why: string): KernelPlan => ({ kind: 'skip', reason: `an operand of Einsum "${node.name}" ${why}` });
  const equation = stringAttr(node, 'equation')?.replace(/\s/g, '');
  const match = equation ? /^([a-zA-Z]*),([a-zA-Z]*)->([a-zA-Z]*)$/.exec(equation) : null;
  if (!match) return skip(`with equation ${JSON.stringify(equation ?? null)} (only two operands without ellipsis are read)`);
  const [own, other] = index === 0 ? [match[1], match[2]] : [match[2], match[1]];
  const output = match[3];
  if (own.length !== spec.shape.length) throw new ModelFileError(ctx.file, `weight "${spec.name}" [${spec.shape}] is operand ${index} "${own}" of Einsum "${node.name}" (${equation}); expected rank ${own.length}`);
  const rows: number[] = [];
  const cols: number[] = [];
  for (const [axis, letter] of [...own].entries()) {
    const kept = output.includes(letter);
    const shared = other.includes(letter);
    if (kept && shared) return skip(`(${equation}) with batch axis ${letter}`);
    if (!kept && !shared) return skip(`(${equation}) summing its own axis ${letter}`);
    (kept ? rows : cols).push(axis);
  }
  return { kind: 'read', build: (v) => [{ name: node.name, role: 'einsum', op: 'Einsum', ...kernelMatrix(v, spec.shape, rows, cols), note: `operand "${own}" of ${equation} read as ${rows.map((a) => own[a]).join('')} × ${cols.map((a) => own[a]).join('')}` }] };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function zeros(n: number): Record<number, number> {
  return Object.fromEntries(range(n).map((a) => [a, 0]));
}

/** The multi-index over the leading axes of flat slice `s`, as kernelMatrix's fixed axes. */
function sliceIndex(leading: readonly number[], s: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let a = leading.length - 1, rest = s; a >= 0; a--) {
    out[a] = rest % leading[a];
    rest = Math.floor(rest / leading[a]);
  }
  return out;
}
