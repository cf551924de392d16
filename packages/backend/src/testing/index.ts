/**
 * @rank-collapse/backend/testing: the float64 reference backend (the oracle), the shared numeric comparison
 * and the conformance suite every backend runs (the suite needs vitest, an optional peer dependency).
 */
export { createReferenceBackend, type ReferenceBackend } from './reference/reference-backend.js';
export { expectClose, type Comparable } from './expect-close.js';
export type { ForwardCase, GradientCase, ShapeErrorCase, Tolerance } from './conformance/types.js';
export { runOnce } from './run-once.js';
