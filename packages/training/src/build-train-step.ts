import { gradients, GraphBuilder, type Graph, type ParamRole } from '@rank-collapse/backend';
import { MODEL_INPUT, MODEL_OUTPUT, type Model } from '@rank-collapse/models';
import { addCorrectCount, addLoss, type LossKind } from './loss.js';

/** Options of {@link buildTrainStep}: what is fixed for a whole run (the learning rate is fed per step). */
export interface TrainStepOptions {
  /** Default 'cross-entropy'. */
  readonly loss?: LossKind;
  /** μ, default 0.9. */
  readonly momentum?: number;
  /** λ, default 0. */
  readonly weightDecay?: number;
  /** Decay biases too (default false). */
  readonly decayBiases?: boolean;
  /** Decay norm scales and shifts (default false). */
  readonly decayNorm?: boolean;
  /** Decoupled decay (SGDW), default false. */
  readonly decoupledDecay?: boolean;
}

/** Names of the train-step graph's inputs and outputs. */
export const TRAIN_STEP = {
  /** x [N, ...sampleShape] float32. */
  x: MODEL_INPUT,
  /** One-hot targets [N, K] float32. */
  targets: 'targets',
  /** Learning rate η of this step, float32 scalar []. */
  lr: 'lr',
  /** (1/N)Σℓ_i of the batch (data loss, without the penalty), float32 []. */
  loss: 'loss',
  /** Number of correctly classified samples of the batch (ties count wrong), float32 []. */
  correct: 'correct',
} as const;

/** The compiled-once training step of a model and its naming. */
export interface TrainStep {
  readonly graph: Graph;
  /** Params updated by SGD (everything but running stats), in graph order. */
  readonly trainable: readonly string[];
  /** Params that carry the (λ/2)‖P‖² penalty. */
  readonly decayed: readonly string[];
  /** Trainable param → its velocity param (`velocity/<param>`, zeros at the start). */
  readonly velocities: Readonly<Record<string, string>>;
  /** Every state param (model params, velocities) → the output holding its value after the step. */
  readonly next: Readonly<Record<string, string>>;
}

const DECAYED_ROLES: Record<ParamRole, (o: TrainStepOptions) => boolean> = {
  weight: () => true,
  bias: (o) => o.decayBiases ?? false,
  'norm-scale': (o) => o.decayNorm ?? false,
  'norm-shift': (o) => o.decayNorm ?? false,
  'running-mean': () => false,
  'running-var': () => false,
  other: () => false,
};

/**
 * Builds ONE graph holding the whole SGD step: the training-mode forward pass, the loss, its gradient (symbolic
 * autodiff) and the update, for every trainable param P with gradient g of the data loss (1/N)Σℓ_i:
 *
 *     v' = μ·v + g + λ·P        P' = P − η·v'                 (coupled, default)
 *     v' = μ·v + g              P' = P − η·v' − η·λ·P         (decoupled)
 *
 * with λ only on decayed params. The coupled form is exactly torch.optim.SGD(lr=η, momentum=μ,
 * weight_decay=λ, dampening=0, nesterov=False) (its first step v = g + λP equals the formula with v = 0), and
 * the gradient of J = (1/N)Σℓ + (λ/2)Σ‖W‖². Batch-norm running stats are replaced by the training graph's
 * updated values. Feed `x`, `targets`, `lr` and every state param; fetch `loss`, `correct` and `next`.
 * @throws GraphError if autodiff cannot differentiate an op of the model.
 */
export function buildTrainStep(model: Model, options: TrainStepOptions = {}): TrainStep {
  const momentum = options.momentum ?? 0.9;
  const lambda = options.weightDecay ?? 0;
  const forward = GraphBuilder.from(model.trainingGraph, `${model.trainingGraph.name}-train-step`);
  const logits = forward.value(MODEL_OUTPUT);
  const k = logits.shape[1] as number;
  const targets = forward.input(TRAIN_STEP.targets, 'float32', ['N', k]);
  forward.input(TRAIN_STEP.lr, 'float32', []);
  addLoss(forward, logits, targets, options.loss ?? 'cross-entropy', { mean: TRAIN_STEP.loss });
  addCorrectCount(forward, logits, targets, TRAIN_STEP.correct);

  const running = new Set(Object.keys(model.runningStats));
  const params = model.trainingGraph.params;
  const trainable = params.filter((p) => !running.has(p.name)).map((p) => p.name);
  const decayed = params.filter((p) => !running.has(p.name) && lambda > 0 && DECAYED_ROLES[p.role](options)).map((p) => p.name);
  const { graph: withGradients, gradients: grads } = gradients(forward.build(), { of: TRAIN_STEP.loss, wrt: trainable, outputs: false });

  const u = GraphBuilder.from(withGradients);
  const eta = u.value(TRAIN_STEP.lr);
  const mu = u.scalar(momentum, { name: 'sgd/momentum' });
  const decay = u.scalar(lambda, { name: 'sgd/weight-decay' });
  const velocities: Record<string, string> = {};
  const next: Record<string, string> = {};
  const decayedSet = new Set(decayed);
  for (const name of trainable) {
    const p = u.value(name);
    const v = u.param(`velocity/${name}`, p.shape as number[], 'other');
    velocities[name] = v.name;
    let g = u.value(grads[name]);
    const decays = decayedSet.has(name);
    if (decays && !options.decoupledDecay) g = u.add(g, u.mul(decay, p));
    const v2 = u.add(u.mul(mu, v), g, { name: `next/${v.name}` });
    let p2 = u.sub(p, u.mul(eta, v2), decays && options.decoupledDecay ? {} : { name: `next/${name}` });
    if (decays && options.decoupledDecay) p2 = u.sub(p2, u.mul(eta, u.mul(decay, p)), { name: `next/${name}` });
    next[name] = p2.name;
    next[v.name] = v2.name;
  }
  for (const [param, output] of Object.entries(model.runningStats)) next[param] = output;
  const graph = u.build();
  return {
    graph: { ...graph, outputs: [TRAIN_STEP.loss, TRAIN_STEP.correct, ...Object.values(next)] },
    trainable,
    decayed,
    velocities,
    next,
  };
}
