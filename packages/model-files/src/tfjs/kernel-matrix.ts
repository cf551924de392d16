/** Reads a stored kernel (any rank, row-major) as the matrix the contract wants, by naming which axes make its rows and columns. */

export interface KernelMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

/**
 * W[r][c] = kernel[index], where r runs row-major over `rowAxes` (in the order given), c over `colAxes`, and the
 * axes in `fixed` are held at the given index (a gate of a fused recurrent kernel). Every axis of `shape` must
 * be named exactly once.
 * @example Dense [in, out] as out × in: `kernelMatrix(k, [in, out], [1], [0])`.
 * @throws RangeError when the axes do not cover the shape or `data` has the wrong length (a bug, not bad input:
 *   callers check shapes against the file first).
 */
export function kernelMatrix(data: Float32Array, shape: readonly number[], rowAxes: readonly number[], colAxes: readonly number[], fixed: Readonly<Record<number, number>> = {}): KernelMatrix {
  const named = [...rowAxes, ...colAxes, ...Object.keys(fixed).map(Number)].sort((a, b) => a - b);
  if (named.length !== shape.length || named.some((a, i) => a !== i)) throw new RangeError(`kernelMatrix: axes ${JSON.stringify({ rowAxes, colAxes, fixed })} do not cover shape [${shape}]`);
  if (data.length !== shape.reduce((a, d) => a * d, 1)) throw new RangeError(`kernelMatrix: ${data.length} values for shape [${shape}]`);
  const strides = new Array<number>(shape.length);
  for (let a = shape.length - 1, s = 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  let base = 0;
  for (const [axis, index] of Object.entries(fixed)) base += index * strides[Number(axis)];
  const rowOffsets = offsets(shape, strides, rowAxes);
  const colOffsets = offsets(shape, strides, colAxes);
  const rows = rowOffsets.length;
  const cols = colOffsets.length;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const from = base + rowOffsets[r];
    const to = r * cols;
    for (let c = 0; c < cols; c++) out[to + c] = data[from + colOffsets[c]];
  }
  return { rows, cols, data: out };
}

/** Source offsets of every multi-index over `axes`, row-major in the order of `axes`. */
function offsets(shape: readonly number[], strides: readonly number[], axes: readonly number[]): number[] {
  let out: number[] = [0];
  for (const axis of axes) {
    const next: number[] = new Array(out.length * shape[axis]);
    for (let i = 0, k = 0; i < out.length; i++) for (let j = 0; j < shape[axis]; j++) next[k++] = out[i] + j * strides[axis];
    out = next;
  }
  return out;
}
