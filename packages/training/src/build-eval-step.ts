import { GraphBuilder, type Graph } from '@rank-collapse/backend';
import { MODEL_OUTPUT, type Model } from '@rank-collapse/models';
import { addCorrectCount, addLoss, type LossKind } from './loss.js';

/** Names of the evaluation graph's extra input and outputs (input `x` as in the model). */
export const EVAL_STEP = {
  /** One-hot targets [N, K] float32. */
  targets: 'targets',
  /** Σ_i ℓ_i over the batch (a sum, so batches of any size combine), float32 []. */
  lossSum: 'loss_sum',
  /** Correctly classified samples of the batch (ties count wrong), float32 []. */
  correct: 'correct',
} as const;

/**
 * The evaluation graph: the inference forward pass (batch norm with running stats), the summed loss and the
 * correct count; the batch dim stays symbolic so a last partial batch runs as it is.
 */
export function buildEvalStep(model: Model, loss: LossKind = 'cross-entropy'): Graph {
  const b = GraphBuilder.from(model.graph, `${model.graph.name}-eval`);
  const logits = b.value(MODEL_OUTPUT);
  const targets = b.input(EVAL_STEP.targets, 'float32', ['N', logits.shape[1]]);
  const { perSample } = addLoss(b, logits, targets, loss);
  b.reduceSum(perSample, undefined, false, { name: EVAL_STEP.lossSum });
  addCorrectCount(b, logits, targets, EVAL_STEP.correct);
  const graph = b.build();
  return { ...graph, outputs: [EVAL_STEP.lossSum, EVAL_STEP.correct] };
}
