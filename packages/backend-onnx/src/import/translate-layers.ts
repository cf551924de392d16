/** ONNX → IR for the layer ops: Gemm, MatMul, Conv, ConvTranspose, BatchNormalization and pooling. */
import type { Pads2d, Value } from '@rank-collapse/backend';
import { Unsupported, type ImportContext, type ImportNode } from './import-context.js';

type Translate = (ctx: ImportContext, node: ImportNode) => void;

const optional = (ctx: ImportContext, node: ImportNode, i: number, role: 'bias' | 'weight') => (node.inputs[i] ? ctx.value(node.inputs[i], role) : undefined);

/** Pads of a 2-D window op from `pads` or `auto_pad` (SAME_UPPER/SAME_LOWER computed from static sizes). */
function windowPads(ctx: ImportContext, node: ImportNode, kernel: readonly number[], strides: readonly number[], dilations: readonly number[]): Pads2d | undefined {
  const autoPad = node.attrs.string('auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') {
    const pads = node.attrs.ints('pads');
    if (pads && pads.length !== 4) throw new Unsupported(`pads [${pads}] (only 2-D windows are supported)`);
    return pads as Pads2d | undefined;
  }
  if (autoPad === 'VALID') return [0, 0, 0, 0];
  const shape = ctx.type(node.inputs[0]).shape;
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = shape[2 + i];
    if (typeof size !== 'number') throw new Unsupported(`auto_pad ${autoPad} on a symbolic spatial dim`);
    const out = Math.ceil(size / strides[i]);
    const total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size);
    const small = Math.floor(total / 2);
    begin.push(autoPad === 'SAME_UPPER' ? small : total - small);
    end.push(total - begin[i]);
  }
  return [begin[0], begin[1], end[0], end[1]];
}

function require2d(ctx: ImportContext, node: ImportNode): void {
  const rank = ctx.type(node.inputs[0]).shape.length;
  if (rank !== 4) throw new Unsupported(`${rank - 2}-D input (only 2-D, NCHW, is supported)`);
}

const gemm: Translate = (ctx, node) => {
  const a = node.attrs;
  ctx.emitTo(node.outputs[0], 'Gemm', [ctx.value(node.inputs[0]), ctx.value(node.inputs[1], 'weight'), optional(ctx, node, 2, 'bias')], { alpha: a.float('alpha', 1), beta: a.float('beta', 1), transA: a.int('transA', 0) === 1, transB: a.int('transB', 0) === 1 }, node.name);
};

const matMul: Translate = (ctx, node) => {
  ctx.emitTo(node.outputs[0], 'MatMul', [ctx.value(node.inputs[0]), ctx.value(node.inputs[1], 'weight')], {}, node.name);
};

const conv: Translate = (ctx, node) => {
  require2d(ctx, node);
  const w = ctx.value(node.inputs[1], 'weight');
  const kernel = w.shape.slice(2) as number[];
  const strides = node.attrs.ints('strides') ?? [1, 1];
  const dilations = node.attrs.ints('dilations') ?? [1, 1];
  const pads = windowPads(ctx, node, kernel, strides, dilations);
  const transpose = node.opType === 'ConvTranspose';
  if (transpose && node.attrs.string('auto_pad', 'NOTSET').startsWith('SAME')) throw new Unsupported('auto_pad SAME_* on ConvTranspose');
  if (transpose && node.attrs.has('output_shape')) throw new Unsupported('output_shape (give pads and output_padding instead)');
  const attrs = { strides, dilations, group: node.attrs.int('group', 1), ...(pads ? { pads } : {}) };
  const inputs = [ctx.value(node.inputs[0]), w, optional(ctx, node, 2, 'bias')];
  if (transpose) ctx.emitTo(node.outputs[0], 'ConvTranspose', inputs, { ...attrs, outputPadding: node.attrs.ints('output_padding') }, node.name);
  else ctx.emitTo(node.outputs[0], 'Conv', inputs, attrs, node.name);
};

const batchNormalization: Translate = (ctx, node) => {
  const usedOutputs = node.outputs.filter((o) => o !== '').length;
  const training = node.attrs.int('training_mode', 0) === 1 || (ctx.opset < 14 && usedOutputs > 1 && node.attrs.int('is_test', 0) === 0);
  const [x, scale, bias, mean, variance] = node.inputs;
  const inputs = [ctx.value(x), ctx.value(scale, 'norm-scale'), ctx.value(bias, 'norm-shift'), ctx.value(mean, 'running-mean'), ctx.value(variance, 'running-var')];
  const epsilon = node.attrs.float('epsilon', 1e-5);
  if (!training) {
    ctx.emitTo(node.outputs[0], 'BatchNormalization', inputs, { epsilon, training: false }, node.name);
    return;
  }
  if (node.outputs.slice(3).some((o) => o !== '')) throw new Unsupported('saved_mean/saved_var outputs');
  const names = [node.outputs[0], node.outputs[1] || ctx.freshValue(`${node.name}/running-mean`), node.outputs[2] || ctx.freshValue(`${node.name}/running-var`)];
  const outs = ctx.emit('BatchNormalization', inputs, { epsilon, momentum: node.attrs.float('momentum', 0.9), training: true }, node.name, names);
  outs.forEach((v, i) => ctx.setValue(names[i], v));
  ctx.notes.push(`BatchNormalization "${node.name}" in training mode: the IR updates the running variance with the unbiased batch variance (ONNX: biased)`);
};

const pool: Translate = (ctx, node) => {
  require2d(ctx, node);
  if (node.outputs.length > 1 && node.outputs[1]) throw new Unsupported('the Indices output');
  const ceil = node.attrs.int('ceil_mode', 0) !== 0;
  if (ceil && node.opType !== 'MaxPool') throw new Unsupported('ceil_mode = 1 (AveragePool: the divisor of the partial windows)');
  const dilations = node.attrs.ints('dilations');
  if (dilations && dilations.some((d) => d !== 1)) throw new Unsupported(`dilations [${dilations}]`);
  const kernelShape = node.attrs.ints('kernel_shape') ?? [];
  const strides = node.attrs.ints('strides') ?? [1, 1];
  const pads = windowPads(ctx, node, kernelShape, strides, [1, 1]);
  const base = { kernelShape, strides, ...(pads ? { pads } : {}) };
  const x = ctx.value(node.inputs[0]);
  if (node.opType === 'MaxPool' && (ceil || (pads && pads.some((p) => p !== 0)))) {
    maxPoolPadded(ctx, node, x, kernelShape, strides, pads ?? [0, 0, 0, 0], ceil);
    return;
  }
  if (node.opType === 'MaxPool') ctx.emitTo(node.outputs[0], 'MaxPool', [x], base, node.name);
  else ctx.emitTo(node.outputs[0], 'AveragePool', [x], { ...base, countIncludePad: node.attrs.int('count_include_pad', 0) === 1 }, node.name);
};

/**
 * MaxPool with padding or ceil_mode = 1, as an explicit Pad with −∞ followed by a pool without padding (the same
 * maxima; the IR's MaxPool gradient takes no padding, Pad has a gradient). With ceil_mode the partial windows at
 * the bottom and right are completed by more −∞ rows and columns, and a last window that would start in the end
 * padding is dropped, as onnxruntime and PyTorch do.
 */
function maxPoolPadded(ctx: ImportContext, node: ImportNode, x: Value, kernel: readonly number[], strides: readonly number[], pads: Pads2d, ceil: boolean): void {
  const outs: number[] = [];
  const end = [0, 1].map((a) => {
    const size = x.shape[2 + a];
    if (typeof size !== 'number') throw new Unsupported('padding or ceil_mode on a symbolic spatial dim');
    const span = (size + pads[a] + pads[a + 2] - kernel[a]) / strides[a];
    let out = (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
    if (ceil && (out - 1) * strides[a] >= size + pads[a]) out -= 1;
    outs.push(out);
    return Math.max(0, (out - 1) * strides[a] + kernel[a] - size - pads[a]);
  });
  const padded = ctx.emitTemp(`${node.name}/pad`, 'Pad', [x], { pads: [0, 0, pads[0], pads[1], 0, 0, end[0], end[1]], value: -Infinity });
  const attrs = { kernelShape: [...kernel], strides: [...strides] };
  const floorOut = [0, 1].map((a) => Math.floor(((x.shape[2 + a] as number) + pads[a] + end[a] - kernel[a]) / strides[a]) + 1);
  if (floorOut.every((n, a) => n === outs[a])) {
    ctx.emitTo(node.outputs[0], 'MaxPool', [padded], attrs, node.name);
    return;
  }
  // With stride > kernel the windows can end before the input does; floor pooling then yields extra ones.
  const pooled = ctx.emitTemp(`${node.name}/pool`, 'MaxPool', [padded], attrs);
  ctx.emitTo(node.outputs[0], 'Slice', [pooled], { starts: [0, 0], ends: outs, axes: [2, 3] }, node.name);
}

const globalPool: Translate = (ctx, node) => {
  require2d(ctx, node);
  const x = ctx.value(node.inputs[0]);
  if (node.opType === 'GlobalAveragePool') ctx.emitTo(node.outputs[0], 'GlobalAveragePool', [x], {}, node.name);
  else ctx.emitTo(node.outputs[0], 'ReduceMax', [x], { axes: [2, 3], keepdims: true }, node.name);
};

export const LAYER_TRANSLATORS: Record<string, Translate> = {
  Gemm: gemm,
  MatMul: matMul,
  Conv: conv,
  ConvTranspose: conv,
  BatchNormalization: batchNormalization,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
};
