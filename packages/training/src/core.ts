/**
 * @rank-collapse/training/core: everything of the main entry that needs no Node.js — the train-step graph, the
 * step runner, the training loop, learning rates, options and the Checkpoint type. Safe to bundle for a browser
 * or a Web Worker; checkpoint files (saveCheckpoint, loadCheckpoint and their byte encoding) stay in the main entry.
 */
export { addCorrectCount, addLoss, type LossKind } from './loss.js';
export { buildTrainStep, TRAIN_STEP, type TrainStep, type TrainStepOptions } from './build-train-step.js';
export { buildEvalStep, EVAL_STEP } from './build-eval-step.js';
export { createEvaluator, type Evaluation, type Evaluator } from './evaluator.js';
export { learningRate } from './learning-rate.js';
export {
  parseTrainOptions,
  scheduleSchema,
  trainOptionsSchema,
  TrainingError,
  type Schedule,
  type TrainOptions,
  type TrainOptionsInput,
} from './train-options.js';
export type { EpochRecord } from './epoch-record.js';
export { CHECKPOINT_FORMAT, type Checkpoint } from './checkpoint.js';
export { CheckpointError } from './checkpoint-error.js';
export { createStepRunner, DEFAULT_STEPS_PER_RUN, type StepFeed, type StepResults, type StepRunner } from './step-runner.js';
export { train, type TrainArgs, type TrainResult } from './train.js';
