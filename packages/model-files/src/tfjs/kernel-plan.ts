/** What a reader decided for one manifest weight before reading it: skip it (why), or read it and build its matrices. */
import type { WeightMatrix } from '../weight-matrix.js';

/** A matrix of the contract without the fields the reader fills in from the manifest (tensor, shape) and the quantization note. */
export type PlannedMatrix = Pick<WeightMatrix, 'name' | 'role' | 'op' | 'rows' | 'cols' | 'data' | 'note'>;

export type KernelPlan = { readonly kind: 'skip'; readonly reason: string } | { readonly kind: 'read'; build(values: Float32Array): PlannedMatrix[] };
