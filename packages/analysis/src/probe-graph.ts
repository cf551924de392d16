/**
 * Probe graphs: the model's forward graph plus the taps the analysis reads — each layer's input h_{l−1}, the
 * per-sample backward signals δ_l = ∂(Σ_i ℓ_i)/∂z_l (autodiff of the summed loss) and, for dense layers, the
 * batch-summed data gradient Σ_i δ_i h_iᵀ of each weight.
 */
import { GraphBuilder, GraphError, gradients, type Graph } from '@rank-collapse/backend';
import type { LayerTap } from '@rank-collapse/models';

export type ProbeLoss = 'cross-entropy' | 'mse';

export interface ProbeGraph {
  readonly graph: Graph;
  /** Name of the one-hot label input [N, K] (float32). */
  readonly labels: string;
  /** Name of the summed loss output (scalar). */
  readonly loss: string;
  readonly logits: string;
  /** Per layer (same order as `layers`): value names of h_{l−1}, δ_l and the summed weight gradient (dense only). */
  readonly taps: readonly { input: string; delta: string; weightGradient: string | null }[];
}

export interface ProbeGraphOptions {
  /** Name of the logits value. Default: the graph's first output. */
  readonly logits?: string;
  /**
   * Loss whose per-sample gradients are the backward signals, the same ℓ the training objective averages:
   * softmax cross-entropy (default) or (1/K)‖z − y‖² (torch's MSELoss, as in @rank-collapse/training).
   */
  readonly loss?: ProbeLoss;
  /** Add the weight gradients of dense layers (needed for the certificate). Default true. */
  readonly weightGradients?: boolean;
}

/**
 * Builds the probe graph of a classifier. Backward signals are per sample because the summed loss couples no
 * samples (models in inference mode: batch norm uses running statistics).
 * @throws GraphError if a tap names no value of the graph or the logits are not [N, K].
 */
export function buildProbeGraph(forward: Graph, layers: readonly LayerTap[], options: ProbeGraphOptions = {}): ProbeGraph {
  const logitsName = options.logits ?? forward.outputs[0];
  const b = GraphBuilder.from(forward, `${forward.name}/probe`);
  const logits = b.value(logitsName);
  if (logits.shape.length !== 2) throw new GraphError(`probe of "${forward.name}": logits "${logitsName}" must be [N, K], got [${logits.shape}]`);
  for (const tap of layers) {
    for (const name of [tap.input, tap.preActivation, tap.weight]) {
      if (!b.has(name)) throw new GraphError(`probe of "${forward.name}": layer "${tap.name}" names "${name}", which is not a value of the graph`);
    }
  }
  const labels = b.input('probe/labels', 'float32', logits.shape);
  let loss;
  if ((options.loss ?? 'cross-entropy') === 'cross-entropy') {
    const logp = b.logSoftmax(logits, -1, { name: 'probe/log-probabilities' });
    loss = b.neg(b.reduceSum(b.mul(labels, logp), undefined, false), { name: 'probe/loss' });
  } else {
    const diff = b.sub(logits, labels);
    const K = Number(logits.shape[1]);
    // Divide by K (exact in float32) rather than multiply by a rounded 1/K.
    loss = b.div(b.reduceSum(b.mul(diff, diff), undefined, false), b.scalar(K), { name: 'probe/loss' });
  }
  const withGradients = options.weightGradients ?? true;
  const wrt = [...new Set(layers.flatMap((t) => (withGradients && t.kind === 'dense' ? [t.preActivation, t.weight] : [t.preActivation])))];
  const built = b.build();
  const grads = gradients(built, { of: loss.name, wrt, outputs: false });
  const out = GraphBuilder.from(grads.graph);
  const outputs = new Set(out.build().outputs);
  const expose = (name: string): void => {
    if (!outputs.has(name) && !forward.inputs.some((i) => i.name === name)) {
      out.output(out.value(name));
      outputs.add(name);
    }
  };
  expose(logitsName);
  expose(loss.name);
  const taps = layers.map((t) => {
    expose(t.input);
    const delta = grads.gradients[t.preActivation];
    expose(delta);
    const weightGradient = withGradients && t.kind === 'dense' ? grads.gradients[t.weight] : null;
    if (weightGradient) expose(weightGradient);
    return { input: t.input, delta, weightGradient };
  });
  return { graph: out.build(), labels: labels.name, loss: loss.name, logits: logitsName, taps };
}
