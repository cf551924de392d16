/**
 * Where λ sits on the horizontal axis. Weight decay is swept log-spaced plus λ = 0, which a log axis cannot
 * show. A symlog scale would, but it squeezes the smallest decades toward 0 by an amount set by an arbitrary
 * constant; instead λ = 0 gets its own position one decade left of the smallest positive λ, labelled "0",
 * separated from the log-spaced values by a dashed break, and lines do not connect it to its neighbours.
 */

/** How λ values map to the (log-scaled) horizontal axis of the figures. */
export interface LambdaScale {
  /** Stand-in position of λ = 0 on the log axis, or null when no λ is 0. */
  zeroPosition: number | null;
  /** Position of the break rule between λ = 0 and the positive values (geometric middle), or null. */
  breakPosition: number | null;
  /** Axis domain [low, high] (positive). */
  domain: [number, number];
  /** Tick values: the zero position, then every decade spanned by the positive λ. */
  ticks: number[];
  /** Maps a λ ≥ 0 to its axis position. */
  position(lambda: number): number;
}

/**
 * Builds the λ axis for a set of λ values (non-finite and negative values are ignored).
 * With no positive λ the positions are arbitrary but valid (zero at 1e-4, domain around it).
 */
export function lambdaScale(lambdas: Iterable<number>): LambdaScale {
  let minPositive = Infinity;
  let maxPositive = 0;
  let hasZero = false;
  for (const lambda of lambdas) {
    if (lambda === 0) hasZero = true;
    else if (lambda > 0 && Number.isFinite(lambda)) {
      minPositive = Math.min(minPositive, lambda);
      maxPositive = Math.max(maxPositive, lambda);
    }
  }
  if (maxPositive === 0) {
    // Only λ = 0 (or nothing): one position, labelled "0", mid-axis.
    const zero = 1e-4;
    return { zeroPosition: hasZero ? zero : null, breakPosition: null, domain: [zero / 10, zero * 10], ticks: [zero], position: () => zero };
  }
  const lowDecade = Math.floor(Math.log10(minPositive) + 1e-9);
  const highDecade = Math.ceil(Math.log10(maxPositive) - 1e-9);
  const zeroPosition = hasZero ? 10 ** (lowDecade - 1) : null;
  const ticks: number[] = zeroPosition === null ? [] : [zeroPosition];
  for (let decade = lowDecade; decade <= highDecade; decade++) ticks.push(Number(`1e${decade}`));
  const low = (zeroPosition ?? minPositive) / 10 ** 0.25;
  const high = Math.max(maxPositive, 10 ** highDecade) * 10 ** 0.25;
  return {
    zeroPosition,
    breakPosition: zeroPosition === null ? null : Math.sqrt(zeroPosition * minPositive),
    domain: [low, high],
    ticks,
    position: (lambda) => (lambda === 0 && zeroPosition !== null ? zeroPosition : lambda),
  };
}

/** Short text of a λ for legends and tables: `0`, `1e-5`, `3.16e-4`. */
export function formatLambda(lambda: number): string {
  if (lambda === 0) return '0';
  if (!Number.isFinite(lambda)) return String(lambda);
  return Number(lambda.toPrecision(3)).toExponential();
}
