/** @rank-collapse/model-files: the weights of model files as users have them, each matrix with its role. */
export { openWeightFile } from './open-weight-file.js';
export { detectWeightFormat, UnknownFormatError } from './detect-format.js';
export { resolveInside } from './safe-path.js';
// The TF.js shard reader, also used by backend-tfjs's Layers importer: one reader of shards, one path rule.
export { openTfjsShards, type TfjsShards, type TfjsWeightEntry } from './tfjs/tfjs-shards.js';
export { parseTfjsManifest, type TfjsWeightGroup, type TfjsWeightSpec } from './tfjs/tfjs-manifest.js';
export type { TfjsValues } from './tfjs/decode-tfjs-weight.js';
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
