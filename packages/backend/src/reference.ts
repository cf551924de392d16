/**
 * @rank-collapse/backend/reference: the float64 reference backend alone, for programs (the CLI's
 * `--backend reference`) that must not load the test runner the `./testing` entry imports.
 */
export { createReferenceBackend, type ReferenceBackend } from './testing/reference/reference-backend.js';
