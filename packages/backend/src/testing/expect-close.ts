/** The one numeric comparison every package's tests use: elementwise |a − e| ≤ atol + rtol·|e|. */
import { formatShape } from '../ir/shape.js';
import type { HostTensor } from '../ir/types.js';
import type { Tolerance } from './conformance/types.js';

export type Comparable = HostTensor | ArrayLike<number> | ArrayLike<bigint> | number;

function unpack(x: Comparable): { shape?: readonly number[]; dtype?: string; values: ArrayLike<number | bigint> } {
  if (typeof x === 'number') return { values: [x] };
  if ('data' in x && 'shape' in x && 'dtype' in x) return { shape: x.shape, dtype: x.dtype, values: x.data };
  return { values: x as ArrayLike<number | bigint> };
}

/** 1e-6 rather than 0.000001. */
const short = (v: number): string => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v));

function coordinates(index: number, shape: readonly number[] | undefined): string {
  if (!shape || shape.length < 2) return '';
  const at: number[] = [];
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    at.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return ` ${formatShape(at)}`;
}

/**
 * Throws unless `actual` matches `expected` within `tolerance` at every element: |a − e| ≤ atol + rtol·|e|
 * (e is the trusted value). NaN matches only NaN and an infinity only the same infinity; int64 and bool
 * values must match exactly. Host tensors must also agree in dtype and shape.
 * @param what names the compared quantity in the message.
 * @throws Error naming `what`, how many elements failed, the worst index with both values, and the tolerance.
 */
export function expectClose(actual: Comparable, expected: Comparable, tolerance: Tolerance, what: string): void {
  const a = unpack(actual);
  const e = unpack(expected);
  if (a.dtype !== undefined && e.dtype !== undefined && a.dtype !== e.dtype) throw new Error(`${what}: dtype ${a.dtype}, expected ${e.dtype}`);
  if (a.shape && e.shape && formatShape(a.shape) !== formatShape(e.shape)) throw new Error(`${what}: shape ${formatShape(a.shape)}, expected ${formatShape(e.shape)}`);
  if (a.values.length !== e.values.length) throw new Error(`${what}: ${a.values.length} elements, expected ${e.values.length}`);
  const exact = a.dtype === 'int64' || a.dtype === 'bool' || typeof a.values[0] === 'bigint' || typeof e.values[0] === 'bigint';
  const { atol, rtol } = tolerance;
  let failures = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < e.values.length; i++) {
    const x = a.values[i];
    const y = e.values[i];
    let excess: number;
    if (exact) excess = String(x) === String(y) ? -1 : Infinity;
    else {
      const xn = Number(x);
      const yn = Number(y);
      if (Number.isNaN(yn) || Number.isNaN(xn)) excess = Number.isNaN(xn) && Number.isNaN(yn) ? -1 : Infinity;
      else if (!Number.isFinite(yn) || !Number.isFinite(xn)) excess = xn === yn ? -1 : Infinity;
      // Excess over the allowed error, relative to the allowance, so elements of every magnitude rank fairly.
      else excess = (Math.abs(xn - yn) - (atol + rtol * Math.abs(yn))) / (atol + rtol * Math.abs(yn) || Number.MIN_VALUE);
    }
    if (excess > 0) {
      failures++;
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
  }
  if (failures === 0) return;
  const x = a.values[worst];
  const y = e.values[worst];
  const diff = exact ? '' : ` (|diff| ${Math.abs(Number(x) - Number(y)).toExponential(3)} > ${(atol + rtol * Math.abs(Number(y))).toExponential(3)})`;
  throw new Error(
    `${what}: ${failures} of ${e.values.length} elements differ beyond atol ${short(atol)}, rtol ${short(rtol)}${exact ? ' (exact dtype)' : ''}; ` +
      `worst at index ${worst}${coordinates(worst, e.shape ?? a.shape)}: actual ${String(x)}, expected ${String(y)}${diff}`,
  );
}
