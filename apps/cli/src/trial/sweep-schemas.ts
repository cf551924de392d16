/**
 * The schemas this command injects into sweep-file validation: the experiment package's section schemas
 * (under the names this package has always exported) and the backend names it can create.
 */
import {
  EXPERIMENT_SCHEMAS,
  experimentAnalysisSchema,
  experimentDatasetSchema,
  experimentTrainingSchema,
  type ExperimentAnalysis,
  type ExperimentDataset,
  type ExperimentTraining,
} from '@rank-collapse/experiment';
import type { SweepSchemas } from '@rank-collapse/sweep';
import { BACKEND_CHOICES } from '../backends/backend-factories.js';

export const trialDatasetSchema = experimentDatasetSchema;
export const trialTrainingSchema = experimentTrainingSchema;
export const trialAnalysisSchema = experimentAnalysisSchema;
export type TrialDataset = ExperimentDataset;
export type TrialTraining = ExperimentTraining;
export type TrialAnalysis = ExperimentAnalysis;

/** Every injected section schema, for `expandGrid`/`loadSweepFile`. */
export const SWEEP_SCHEMAS: SweepSchemas = EXPERIMENT_SCHEMAS;

/** The backend names a sweep file may use (`backend:` and a `backend` grid axis). */
export const SWEEP_BACKEND_NAMES: readonly [string, ...string[]] = BACKEND_CHOICES;
