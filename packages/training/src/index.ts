/** @rank-collapse/training: SGD training over one compiled train-step graph, with schedules, checkpoints and divergence detection. */
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
export { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint-file.js';
export { createStepRunner, DEFAULT_STEPS_PER_RUN, type StepFeed, type StepResults, type StepRunner } from './step-runner.js';
export { train, type TrainArgs, type TrainResult } from './train.js';
