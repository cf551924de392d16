/**
 * Reads a row-major tensor as a matrix: the rows run over `rows` axes, the columns over `cols` axes (each in
 * the order given, the last varying fastest), with every other axis held at `fixed`. One routine serves every
 * layout (Gemm's transB, MatMul's K × N, conv kernels, recurrent gates, einsum operands, Transpose).
 */

/**
 * @param shape the tensor's shape; `values` holds its product of elements, row-major
 * @param fixed index of every axis that is in neither `rows` nor `cols` (missing ones are 0)
 * @returns Π shape[rows] × Π shape[cols] values, row-major, of the same array type as `values`
 */
export function gatherAxes<T extends Float32Array | Float64Array>(
  values: T,
  shape: readonly number[],
  rows: readonly number[],
  cols: readonly number[],
  fixed: ReadonlyMap<number, number> = new Map(),
): T {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    strides[a] = stride;
    stride *= shape[a];
  }
  let base = 0;
  for (const [axis, index] of fixed) base += index * strides[axis];
  const rowOffsets = offsets(shape, strides, rows);
  const colOffsets = offsets(shape, strides, cols);
  const out = new (values.constructor as new (n: number) => T)(rowOffsets.length * colOffsets.length);
  let k = 0;
  for (const r of rowOffsets) {
    const start = base + r;
    for (const c of colOffsets) out[k++] = values[start + c];
  }
  return out;
}

/** Offsets of every index combination of `axes`, the last axis fastest. */
function offsets(shape: readonly number[], strides: readonly number[], axes: readonly number[]): Float64Array {
  let out = Float64Array.of(0);
  for (const axis of axes) {
    const next = new Float64Array(out.length * shape[axis]);
    let k = 0;
    for (const o of out) for (let i = 0; i < shape[axis]; i++) next[k++] = o + i * strides[axis];
    out = next;
  }
  return out;
}
