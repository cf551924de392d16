/**
 * @rank-collapse/sweep: sweep files, grid expansion, trial identity, the SQLite store, executors and resumption.
 * This file is the public surface; every other module is internal to the package.
 */
export { trialKey } from './config/trial-key.js';
export { sweepConfigSchema, sweepConfigSchemaFor, checkpointsSchema, type CheckpointsSpec, type SweepConfig, type SweepConfigInput } from './config/sweep-config-schema.js';
export { SweepConfigError, formatConfigIssues, type ConfigIssue } from './config/sweep-config-error.js';
export { parseSweepConfig, type ParseSweepConfigOptions, type ParsedSweepConfig } from './config/parse-sweep-config.js';
export { expandGrid, type ExpandGridOptions, type ResolvedTrialConfig, type SweepSchemas, type TrialSpec } from './config/expand-grid.js';
export { loadSweepFile, type LoadSweepFileOptions, type LoadedSweep } from './config/load-sweep-file.js';
export { checkpointEpochs } from './config/checkpoint-epochs.js';
export { openSweepStore, SweepStore, type SweepStoreOptions, type StoredTrial, type StoredSweep } from './store/sweep-store.js';
export { describeLockOwner, type StoreLock, type StoreLockOwner } from './store/store-lock.js';
export { SweepStoreError, type SweepStoreErrorCode } from './store/sweep-store-error.js';
export { fileSystemErrorText } from './store/file-system-error.js';
export { exportTable, EXPORT_TABLES, type ExportTable, type ExportFormat } from './store/export-table.js';
export {
  TRIAL_STATUSES,
  FINISHED_STATUSES,
  type TrialStatus,
  type RecordedLayer,
  type TrialCheckpoint,
  type TrialProgress,
  type TrialContext,
  type TrialOutcome,
  type TrialFunction,
  type TrialRunResult,
} from './trial/trial-types.js';
export { runSweep, type RunSweepOptions } from './run-sweep.js';
export type { Executor, TrialCoordinator } from './executors/executor.js';
export type { TrialSink } from './trial/run-trial.js';
export { createInProcessExecutor, type InProcessExecutorOptions } from './executors/in-process-executor.js';
export { createWorkerProcessExecutor, type WorkerProcessExecutorOptions } from './executors/worker-process-executor.js';
export type { TrialModuleReference, TrialFunctionFactory } from './executors/worker-protocol.js';
export { createQueueExecutor, type QueueExecutor, type QueueExecutorOptions } from './queue/queue-executor.js';
export { runQueueWorker, type QueueWorkerOptions, type QueueWorkerHandle } from './queue/run-queue-worker.js';
export { DEFAULT_QUEUE_NAME, type QueueConnection } from './queue/queue-connection.js';
export { redactUrl, redactSecrets } from './queue/redact-url.js';
export { createSilentReporter, type SweepReporter, type SweepStartInfo, type SweepSummary } from './progress/sweep-reporter.js';
export { createLineReporter, type LineReporterOptions } from './progress/line-reporter.js';
export { createBarReporter, type BarReporterOptions } from './progress/bar-reporter.js';
export { createProgressReporter, type ProgressReporterOptions } from './progress/create-progress-reporter.js';
