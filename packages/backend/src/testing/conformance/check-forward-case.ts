/** Runs one forward case on a backend and on the oracle and compares every output. */
import type { Backend } from '../../backend.js';
import { expectClose } from '../expect-close.js';
import { runOnce } from '../run-once.js';
import type { ForwardCase, Tolerance } from './types.js';

/**
 * Forward outputs of a float32 backend vs the float64 oracle: atol 1e-5, rtol 1e-4. The cases keep values
 * O(1) and reductions short (≤ 64 terms), where float32 round-off stays near 1e-6 relative.
 */
export const DEFAULT_FORWARD_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-4 };

/**
 * Compiles and runs `c` on `backend` and on `oracle` with the same (float32-exact) feeds; every graph output
 * must agree in dtype and shape, float values within the case's tolerance (else `tolerance`), int64 and bool
 * values exactly.
 * @throws Error naming the case, the output and the worst element.
 */
export async function checkForwardCase(backend: Backend, oracle: Backend, c: ForwardCase, tolerance: Tolerance = DEFAULT_FORWARD_TOLERANCE): Promise<void> {
  const expected = await runOnce(oracle, c.graph, c.feeds);
  const actual = await runOnce(backend, c.graph, c.feeds);
  for (const name of c.graph.outputs) {
    if (!actual[name]) throw new Error(`${c.name}: ${backend.name} returned no output "${name}"`);
    expectClose(actual[name], expected[name], c.tolerance ?? tolerance, `${c.name}: output "${name}" of ${backend.name} vs the reference`);
  }
}
