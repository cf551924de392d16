/**
 * @rank-collapse/backend/reference: the float64 reference backend without the conformance suite, so that
 * importing it never loads vitest (which `./testing` imports); for programs and library code that run on it.
 */
export { createReferenceBackend, type ReferenceBackend } from './testing/reference/reference-backend.js';
