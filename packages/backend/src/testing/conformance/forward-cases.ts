/** The forward conformance cases: every op of the catalogue under several attribute and broadcasting combinations. */
import { convPoolCases } from './forward/conv-pool-cases.js';
import { elementwiseCases } from './forward/elementwise-cases.js';
import { layoutCases } from './forward/layout-cases.js';
import { linearCases } from './forward/linear-cases.js';
import { miscCases } from './forward/misc-cases.js';
import { reduceCases } from './forward/reduce-cases.js';
import type { ForwardCase } from './types.js';

/**
 * Fresh forward cases (graphs and seeded float32-exact feeds; the same on every call), each named
 * `Op: variant`. A backend's outputs are compared with the float64 reference backend's.
 */
export function forwardCases(): ForwardCase[] {
  return [...linearCases(), ...elementwiseCases(), ...layoutCases(), ...reduceCases(), ...convPoolCases(), ...miscCases()];
}
