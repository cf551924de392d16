/**
 * @rank-collapse/backend/testing: the float64 reference backend (the oracle), the shared numeric comparison,
 * the conformance cases, and the conformance suite every backend runs. The suite registers vitest tests, so
 * this entry imports vitest (an optional peer dependency of the package; the core entry never does).
 */
export { createReferenceBackend, type ReferenceBackend } from './reference/reference-backend.js';
export { expectClose, type Comparable } from './expect-close.js';
export { runOnce } from './run-once.js';
export type { ForwardCase, GradientCase, ShapeErrorCase, Tolerance } from './conformance/types.js';
export { forwardCases } from './conformance/forward-cases.js';
export { shapeErrorCases } from './conformance/shape-error-cases.js';
export { checkForwardCase, DEFAULT_FORWARD_TOLERANCE } from './conformance/check-forward-case.js';
export { gradientCases, checkGradientCase } from './conformance/gradients.js';
export { describeTrainStepConformance, TRAIN_STEP_TOLERANCE } from './conformance/train-step.js';
export { mlpTrainStepGraph, type MlpTrainStep, type SgdHyperparameters } from './conformance/mlp-train-step.js';
export { describeBackendConformance, type ConformanceOptions } from './conformance/describe-backend-conformance.js';
