import type { Matrix } from './matrix.js';

/**
 * Reads a convolution kernel with shape [cOut, cIn, kh, kw] (the ONNX/PyTorch layout, row-major) as the
 * cOut × (cIn·kh·kw) matrix whose rows are the flattened filters (science.md §1).
 * @throws RangeError if the shape is not four non-negative integers or does not match `kernel.length`.
 */
export function convKernelAsMatrix(
  kernel: Float32Array | Float64Array,
  shape: readonly [number, number, number, number],
): Matrix {
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`convKernelAsMatrix: shape must be [cOut, cIn, kh, kw], got [${shape.join(', ')}]`);
  }
  const [cOut, cIn, kh, kw] = shape;
  const cols = cIn * kh * kw;
  if (kernel.length !== cOut * cols) {
    throw new RangeError(`convKernelAsMatrix: kernel has length ${kernel.length}, shape [${shape.join(', ')}] needs ${cOut * cols}`);
  }
  // Row-major [cOut, cIn, kh, kw] already is the row-major cOut × (cIn·kh·kw) matrix: only widen to float64.
  return { rows: cOut, cols, data: Float64Array.from(kernel) };
}
