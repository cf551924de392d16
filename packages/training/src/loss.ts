import type { GraphBuilder, Value } from '@rank-collapse/backend';

/** The per-sample losses ℓ(z_i, y_i) the objective averages. */
export type LossKind = 'cross-entropy' | 'mse';

/**
 * Adds the per-sample loss ℓ_i [N] and its mean (1/N)Σℓ_i [] to a graph, for logits z [N, K] and one-hot
 * targets y [N, K]:
 * - `cross-entropy`: ℓ_i = −Σ_k y_ik · log softmax(z_i)_k (torch.nn.CrossEntropyLoss per sample);
 * - `mse`: ℓ_i = (1/K) Σ_k (z_ik − y_ik)², so the mean equals torch.nn.MSELoss(reduction='mean') on one-hot targets.
 * Analysis code that needs δ_i = ∂ℓ_i/∂z_i should build ℓ with this same function.
 */
export function addLoss(b: GraphBuilder, logits: Value, targets: Value, kind: LossKind, names: { perSample?: string; mean?: string } = {}): { perSample: Value; mean: Value } {
  let perSample: Value;
  if (kind === 'cross-entropy') {
    perSample = b.neg(b.reduceSum(b.mul(targets, b.logSoftmax(logits, -1)), [1], false), { name: names.perSample });
  } else {
    const k = logits.shape[1] as number;
    const diff = b.sub(logits, targets);
    perSample = b.mul(b.reduceSum(b.mul(diff, diff), [1], false), b.scalar(1 / k), { name: names.perSample });
  }
  const mean = b.reduceMean(perSample, undefined, false, { name: names.mean });
  return { perSample, mean };
}

/**
 * Adds the number of correctly classified samples (a float32 scalar): sample i counts when its true class's
 * logit is strictly larger than every other logit (a tie counts as wrong, so an untrained all-equal output
 * scores 0). `targets` are one-hot [N, K].
 */
export function addCorrectCount(b: GraphBuilder, logits: Value, targets: Value, name = 'correct'): Value {
  const trueLogit = b.reduceSum(b.mul(logits, targets), [1], false);
  // Push the true class far down so the max runs over the other classes only.
  const others = b.reduceMax(b.sub(logits, b.mul(targets, b.scalar(1e30))), [1], false);
  return b.reduceSum(b.cast(b.greater(trueLogit, others), 'float32'), undefined, false, { name });
}
