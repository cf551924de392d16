/** @rank-collapse/backend: the contract every compute backend implements. */
export * from './random.js';
export * from './errors.js';
export type * from './ir/types.js';
export { GraphBuilder, type Value, type NodeOptions } from './ir/builder.js';
export { OPS, inferNode, sliceRange, type OpSpec } from './ir/ops.js';
export { convGeometry, type ConvGeometry } from './ir/conv-geometry.js';
export { unrollSteps, stepValueName, type UnrollOptions } from './ir/unroll-steps.js';
export { broadcastShapes, broadcastAxes, formatShape, isStatic, normalizeAxis, resolveReshape, sizeOf, stridesOf, windowOutputSize } from './ir/shape.js';
export * from './host-tensor.js';
export * from './backend.js';
export { requireCapability } from './capability.js';
export * from './autodiff/index.js';
