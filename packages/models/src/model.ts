import type { Graph, HostTensor } from '@rank-collapse/backend';
import type { LayerTap } from './layer-tap.js';
import type { ModelConfig } from './model-config.js';

/** Name of the forward graph's input: x [N, ...sampleShape] float32, N symbolic. */
export const MODEL_INPUT = 'x';
/** Name of the forward graph's output: logits [N, K] float32. */
export const MODEL_OUTPUT = 'logits';

/** A classifier as a graph plus everything needed to initialize, train and analyze it. */
export interface Model {
  readonly config: ModelConfig;
  /** Inference forward graph: input `x` [N, ...sampleShape] → output `logits` [N, K] (batch norm uses running stats). */
  readonly graph: Graph;
  /**
   * Training-mode forward graph: the same params and names; batch norm uses batch statistics and outputs the
   * updated running stats (see `runningStats`). Identical to `graph` for models without batch norm.
   */
  readonly trainingGraph: Graph;
  /** K. */
  readonly numClasses: number;
  readonly sampleShape: readonly number[];
  /** Every dense and conv layer, in order. */
  readonly layers: readonly LayerTap[];
  /**
   * Running statistics (params with role running-mean / running-var, not trained by gradient): param name →
   * name of the output of `trainingGraph` holding its updated value. Empty without batch norm.
   */
  readonly runningStats: Readonly<Record<string, string>>;
  /** Seeded initial values of every param of `graph` (float32). */
  initialParams(seed: number | string): Map<string, HostTensor>;
  /** Number of trainable scalars (weights, biases, norm scales and shifts; running stats excluded, like PyTorch's parameters()). */
  readonly paramCount: number;
}
