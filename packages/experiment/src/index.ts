/**
 * @rank-collapse/experiment: the experiment pipeline as a library — data, model, training with checkpoints,
 * analyses at checkpoints, compression and records — on an injected backend.
 */
export { runExperiment, type RunExperimentOptions, type ExperimentResult, type ExperimentTrialResult } from './run-experiment.js';
export { createExperimentTrialFunction, type ExperimentTrialOptions } from './create-experiment-trial-function.js';
export {
  EXPERIMENT_SCHEMAS,
  experimentDatasetSchema,
  experimentTrainingSchema,
  experimentAnalysisSchema,
  type ExperimentDataset,
  type ExperimentTraining,
  type ExperimentAnalysis,
} from './experiment-schemas.js';
export { loadTrialData } from './load-trial-data.js';
export { layerRecords, rankAbove, type AnalysisContext } from './layer-records.js';
