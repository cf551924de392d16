/**
 * Test helper, independent of the package's statistics code: mean and population std of p / 255 from a
 * 256-bin histogram of raw uint8 pixels (exact integer counts, then float64).
 */
export function histogramStatistics(bytes: Uint8Array): { mean: number; std: number } {
  const counts = new Float64Array(256);
  for (const b of bytes) counts[b]++;
  let n = 0;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    n += counts[v];
    sum += counts[v] * v;
  }
  const mean = sum / n;
  let squares = 0;
  for (let v = 0; v < 256; v++) squares += counts[v] * (v - mean) ** 2;
  return { mean: mean / 255, std: Math.sqrt(squares / n) / 255 };
}
