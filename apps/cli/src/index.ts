/**
 * @rank-collapse/cli: the `rank-collapse` command, the composition root that picks concrete backends and
 * wires datasets, models, training, analysis, the sweep runner and the report together.
 */
export { runCli } from './run-cli.js';
export { createProgram } from './program.js';
export { EXIT_CODES, type ExitCode } from './exit-codes.js';
export { CliError, UsageError } from './cli-error.js';
export { processIo, type CliIo } from './cli-io.js';
export { BACKEND_CHOICES, CONCRETE_BACKENDS, AUTO_ORDER, createBackend, type BackendChoice, type BackendSettings, type ConcreteBackendName } from './backends/backend-factories.js';
export { selectBackend, createBackendCache, NoBackendError } from './backends/select-backend.js';
export { probeBackends, type BackendProbe } from './backends/probe-backends.js';
export { createTrialFunction, type TrialFunctionOptions } from './trial/create-trial-function.js';
export { createWorkerTrialFunction, type WorkerTrialOptions } from './trial/trial-module.js';
export { SWEEP_SCHEMAS, trialAnalysisSchema, trialDatasetSchema, trialTrainingSchema } from './trial/sweep-schemas.js';
export { loadCliSweep, type CliSweep } from './trial/load-sweep.js';
export { listPresets, presetFile, PRESET_DIR, type Preset } from './presets/presets.js';
export { analysisJson, layerJson, type AnalysisJson, type LayerJson } from './format/analysis-json.js';
