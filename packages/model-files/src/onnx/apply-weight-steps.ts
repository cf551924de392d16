/** Applies the planned steps (Transpose, Reshape, Cast, dequantization) to a stored tensor's values. */
import { ModelFileError } from '@rank-collapse/backend';
import { gatherAxes } from './gather-axes.js';
import type { WeightStep } from './plan-onnx-weights.js';
import { ONNX_TYPE, readTensorValues, type TensorValues } from './read-onnx-tensor.js';

/**
 * @param tensor the stored tensor's name, for messages
 * @throws ModelFileError naming `file`, the tensor and the dequantizing node when a scale or zero point
 * has a length other than 1 or the size of the quantized axis, or cannot be read.
 */
export async function applyWeightSteps(file: string, modelDir: string, tensor: string, stored: TensorValues, steps: readonly WeightStep[]): Promise<TensorValues> {
  let { shape, values } = stored;
  for (const step of steps) {
    switch (step.kind) {
      case 'transpose':
        values = gatherAxes(values, shape, step.perm, []);
        shape = step.perm.map((p) => shape[p]);
        break;
      case 'reshape':
        shape = step.shape;
        break;
      case 'cast':
        // float16 and bfloat16 targets keep float32 values: the weight as stored, not re-rounded.
        values = step.to === ONNX_TYPE.DOUBLE ? Float64Array.from(values) : values instanceof Float32Array ? values : Float32Array.from(values);
        break;
      case 'dequantize':
        values = await dequantize(file, modelDir, tensor, shape, values, step);
        break;
    }
  }
  return { shape, values };
}

/** y = (q − zero point)·scale, per tensor or along `axis`, computed in float64 and stored as float32. */
async function dequantize(file: string, modelDir: string, tensor: string, shape: readonly number[], q: Float32Array | Float64Array, step: Extract<WeightStep, { kind: 'dequantize' }>): Promise<Float32Array> {
  const what = (name: string, role: string) => `tensor "${name}" (${role} of ${step.by}, dequantizing "${tensor}")`;
  const scale = (await readTensorValues(file, modelDir, step.scale.tensor, what(step.scale.name, 'scale'))).values;
  const zero = step.zero ? (await readTensorValues(file, modelDir, step.zero.tensor, what(step.zero.name, 'zero point'))).values : null;
  const perAxis = scale.length !== 1;
  if (perAxis && (step.axis < 0 || step.axis >= shape.length || scale.length !== shape[step.axis])) {
    throw new ModelFileError(file, `${what(step.scale.name, 'scale')}: ${scale.length} scales for axis ${step.axis} of dims [${shape.join(', ')}] (1 or the axis size expected)`);
  }
  if (zero && zero.length !== scale.length) throw new ModelFileError(file, `${what(step.zero!.name, 'zero point')}: ${zero.length} values for ${scale.length} scales`);
  const inner = perAxis ? shape.slice(step.axis + 1).reduce((p, d) => p * d, 1) : 1;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const k = perAxis ? Math.floor(i / inner) % scale.length : 0;
    out[i] = (q[i] - (zero ? zero[k] : 0)) * scale[k];
  }
  return out;
}
