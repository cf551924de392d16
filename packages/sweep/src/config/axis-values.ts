/** Turns one grid axis as written (a list, a logspace or a linspace) into its list of values. */

/** An axis as validated by the sweep schema. */
export type AxisSpec =
  | readonly unknown[]
  | { logspace: { from: number; to: number; count: number }; includeZero?: boolean }
  | { linspace: { from: number; to: number; count: number } };

/**
 * The values of an axis. Logspace gives `count` values 10^from … 10^to evenly spaced in log10, preceded by 0
 * when `includeZero`; linspace gives `count` evenly spaced values from … to. Generated numbers are rounded to
 * 12 significant digits so that `1e-3` is exactly `0.001` and trial keys do not depend on float noise.
 */
export function axisValues(axis: AxisSpec): unknown[] {
  if (Array.isArray(axis)) return [...axis];
  if ('logspace' in axis) {
    const { from, to, count } = axis.logspace;
    const values = spaced(from, to, count).map((exponent) => round(10 ** exponent));
    return axis.includeZero ? [0, ...values] : values;
  }
  const { from, to, count } = (axis as { linspace: { from: number; to: number; count: number } }).linspace;
  return spaced(from, to, count).map(round);
}

function spaced(from: number, to: number, count: number): number[] {
  if (count === 1) return [from];
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}
