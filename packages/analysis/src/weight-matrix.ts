/** Reads a layer's weight as the matrix W the theory talks about: m×n with z = W h (conv: C_out × C_in·k_h·k_w). */
import { GraphError, type HostTensor } from '@rank-collapse/backend';
import { convKernelAsMatrix, createMatrix, transpose, type Matrix } from '@rank-collapse/metrics';
import type { LayerTap } from '@rank-collapse/models';

/**
 * @throws GraphError naming the layer when its weight is missing or not of the declared layout.
 */
export function layerWeightMatrix(tap: LayerTap, params: ReadonlyMap<string, HostTensor>): Matrix {
  const w = params.get(tap.weight);
  if (!w) throw new GraphError(`layer "${tap.name}": no value for weight "${tap.weight}"`);
  return weightTensorAsMatrix(tap, w.data as Float32Array | Float64Array, w.shape);
}

/** As {@link layerWeightMatrix}, from raw data of the weight's shape (also used for weight gradients). */
export function weightTensorAsMatrix(tap: LayerTap, data: Float32Array | Float64Array, shape: readonly number[]): Matrix {
  if (tap.kind === 'conv') {
    if (shape.length !== 4) throw new GraphError(`layer "${tap.name}": conv weight must be [C_out, C_in, kh, kw], got [${shape}]`);
    return convKernelAsMatrix(data, shape as [number, number, number, number]);
  }
  if (shape.length !== 2) throw new GraphError(`layer "${tap.name}": dense weight must be 2-D, got [${shape}]`);
  const m = createMatrix(shape[0], shape[1], data);
  return tap.weightLayout === 'in-out' ? transpose(m) : m;
}
