/** @rank-collapse/sweep: sweep configs, grid expansion, trial identity, the SQLite store, executors and resumption. */
export { canonicalJson } from './config/canonical-json.js';
export { trialKey } from './config/trial-key.js';
export {
  sweepConfigSchema,
  checkpointsSchema,
  datasetSectionSchema,
  trainingSectionSchema,
  analysisSectionSchema,
  BACKEND_NAMES,
  GRID_SHORTHANDS,
  GRID_PATH_ROOTS,
  type BackendName,
  type CheckpointsSpec,
  type SweepConfig,
  type SweepConfigInput,
} from './config/sweep-config-schema.js';
export { SweepConfigError, formatConfigIssues, formatConfigIssue, type ConfigIssue } from './config/sweep-config-error.js';
export { parseSweepConfig, type ParseSweepConfigOptions, type ParsedSweepConfig } from './config/parse-sweep-config.js';
export { expandGrid, type ExpandGridOptions, type ResolvedTrialConfig, type SweepSchemas, type TrialSpec } from './config/expand-grid.js';
export { axisValues, type AxisSpec } from './config/axis-values.js';
export { loadSweepFile, type LoadSweepFileOptions, type LoadedSweep } from './config/load-sweep-file.js';
export { checkpointEpochs } from './config/checkpoint-epochs.js';
