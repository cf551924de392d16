/**
 * Inner loops shared by the reductions (internal to the package). Dot products use four accumulators so that
 * the loop is not bound by the latency of one chain of floating-point additions.
 */

/** Σ_{j<length} x[xOffset + j] · y[yOffset + j]. */
export function dot(x: Float64Array, xOffset: number, y: Float64Array, yOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < length; j += 4) {
    s0 += x[xOffset + j] * y[yOffset + j];
    s1 += x[xOffset + j + 1] * y[yOffset + j + 1];
    s2 += x[xOffset + j + 2] * y[yOffset + j + 2];
    s3 += x[xOffset + j + 3] * y[yOffset + j + 3];
  }
  for (; j < length; j++) s0 += x[xOffset + j] * y[yOffset + j];
  return s0 + s1 + (s2 + s3);
}

/** y[yOffset + j] −= alpha · x[xOffset + j] for j < length. */
export function subtractScaled(
  y: Float64Array,
  yOffset: number,
  alpha: number,
  x: Float64Array,
  xOffset: number,
  length: number,
): void {
  let j = 0;
  for (; j + 3 < length; j += 4) {
    y[yOffset + j] -= alpha * x[xOffset + j];
    y[yOffset + j + 1] -= alpha * x[xOffset + j + 1];
    y[yOffset + j + 2] -= alpha * x[xOffset + j + 2];
    y[yOffset + j + 3] -= alpha * x[xOffset + j + 3];
  }
  for (; j < length; j++) y[yOffset + j] -= alpha * x[xOffset + j];
}

/** Σ_{j<length} (x[xOffset + j] − y[yOffset + j])². */
export function squaredDistance(x: Float64Array, xOffset: number, y: Float64Array, yOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < length; j += 4) {
    const d0 = x[xOffset + j] - y[yOffset + j];
    const d1 = x[xOffset + j + 1] - y[yOffset + j + 1];
    const d2 = x[xOffset + j + 2] - y[yOffset + j + 2];
    const d3 = x[xOffset + j + 3] - y[yOffset + j + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; j < length; j++) {
    const d = x[xOffset + j] - y[yOffset + j];
    s0 += d * d;
  }
  return s0 + s1 + (s2 + s3);
}
