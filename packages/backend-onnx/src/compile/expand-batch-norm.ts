/**
 * Training-mode batch normalization as primitive ONNX ops. onnxruntime's CPU inference kernels do not
 * implement BatchNormalization with training_mode=1 in every build, and ONNX's running variance uses the
 * biased batch variance while the IR specifies the unbiased one, so the compiler spells it out.
 */
import type { Node } from '@rank-collapse/backend';
import { ONNX_DTYPE } from '@rank-collapse/model-files/onnx';
import { intAttr, intsAttr } from './attributes.js';
import type { OnnxGraphWriter } from './onnx-graph-writer.js';

/**
 * Y = (X − μ_B)·scale/√(σ²_B + ε) + B with batch statistics over every dim but C (σ²_B biased);
 * running mean' = m·mean + (1 − m)·μ_B, running var' = m·var + (1 − m)·σ²_B·n/(n − 1), n = elements per channel.
 */
export function expandBatchNormTraining(w: OnnxGraphWriter, node: Node<'BatchNormalization'>): void {
  const [x, scale, bias, runningMean, runningVar] = node.inputs;
  const [y, newMean, newVar] = node.outputs;
  const epsilon = node.attrs.epsilon ?? 1e-5;
  const momentum = node.attrs.momentum ?? 0.9;
  const shape = w.typeOf(x).shape;
  const c = w.typeOf(scale).shape[0] as number;
  const rank = shape.length;
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  const channelShape = w.int64s([1, c, ...Array.from({ length: rank - 2 }, () => 1)]);
  const p = node.name;

  const mean = w.emit('ReduceMean', `${p}/batch-mean`, [x], [intsAttr('axes', axes), intAttr('keepdims', 1)]);
  const centered = w.emit('Sub', `${p}/centered`, [x, mean]);
  const squared = w.emit('Mul', `${p}/squared`, [centered, centered]);
  const variance = w.emit('ReduceMean', `${p}/batch-var`, [squared], [intsAttr('axes', axes), intAttr('keepdims', 1)]);
  const std = w.emit('Sqrt', `${p}/std`, [w.emit('Add', `${p}/var+eps`, [variance, w.scalar(epsilon)])]);
  const gain = w.emit('Div', `${p}/gain`, [w.emit('Reshape', `${p}/scale`, [scale, channelShape]), std]);
  const shift = w.emit('Reshape', `${p}/shift`, [bias, channelShape]);
  w.add('Add', p, [w.emit('Mul', `${p}/normalized`, [centered, gain]), shift], [y]);

  const flat = w.int64s([c]);
  const batchMean = w.emit('Reshape', `${p}/batch-mean[C]`, [mean, flat]);
  const batchVar = w.emit('Reshape', `${p}/batch-var[C]`, [variance, flat]);
  const unbiased = w.emit('Mul', `${p}/unbiased-var`, [batchVar, besselFactor(w, p, x, shape, c)]);
  const blend = (running: string, batch: string, out: string) =>
    w.add('Add', w.fresh(`${p}/${out}`), [w.emit('Mul', `${p}/${out}/old`, [running, w.scalar(momentum)]), w.emit('Mul', `${p}/${out}/new`, [batch, w.scalar(1 - momentum)])], [out]);
  blend(runningMean, batchMean, newMean);
  blend(runningVar, unbiased, newVar);
}

/** n/(n − 1) for n elements per channel: a constant for static shapes, else from Size(X) at run time. */
function besselFactor(w: OnnxGraphWriter, p: string, x: string, shape: readonly (number | string)[], c: number): string {
  if (shape.every((d) => typeof d === 'number')) {
    const n = (shape as number[]).reduce((a, d) => a * d, 1) / c;
    return w.scalar(n / (n - 1));
  }
  const size = w.emit('Cast', `${p}/size`, [w.emit('Size', `${p}/size-int`, [x])], [intAttr('to', ONNX_DTYPE.FLOAT)]);
  const n = w.emit('Div', `${p}/n`, [size, w.scalar(c)]);
  return w.emit('Div', `${p}/bessel`, [n, w.emit('Sub', `${p}/n-1`, [n, w.scalar(1)])]);
}
