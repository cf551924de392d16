/** @rank-collapse/backend: the contract every compute backend implements. */
export * from './random.js';
