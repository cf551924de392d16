/** @rank-collapse/model-files: the weights of model files as users have them, each matrix with its role. */
export { openWeightFile } from './open-weight-file.js';
export { detectWeightFormat } from './detect-format.js';
export { resolveInside } from './safe-path.js';
export { listCheckpoints, isCheckpointSeries, CHECKPOINT_EXTENSIONS, type CheckpointFile } from './checkpoint-series.js';
export {
  WEIGHT_FORMATS,
  WEIGHT_ROLES,
  type WeightFormat,
  type WeightRole,
  type WeightMatrix,
  type SkippedTensor,
  type WeightItem,
  type WeightFile,
  type ReadWeightsOptions,
} from './weight-matrix.js';
