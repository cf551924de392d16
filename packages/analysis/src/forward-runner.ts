/**
 * The model a forward-only analysis streams data through, as an injected dependency (the analysis never
 * imports a runtime): backend-onnx's `createModelRunner` returns one for any file onnxruntime runs.
 */

/** A float tensor going in or out of a run (row-major). */
export interface ForwardTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/**
 * How an activation holds samples and features: `features-last` [N, …, D] (or time-major [T, N, D]),
 * `channels-first` [N, C, spatial…], `sequence-first` [T, N, D] / [T, dirs, N, H], `batch-first-sequence`
 * [N, T, D] / [N, T, dirs, H], `none` (no per-sample features: lookup indices, quantized integers).
 */
export type ForwardLayout = 'features-last' | 'channels-first' | 'sequence-first' | 'batch-first-sequence' | 'none';

/** A node of the model that multiplies a stored weight. */
export interface ForwardWeightNode {
  /** The node name weight readers use (matrix names start with it). */
  readonly label: string;
  readonly op: string;
  readonly index: number;
  readonly activation: string;
  readonly layout: ForwardLayout;
  readonly hiddenStates: string | null;
  readonly hiddenLayout: ForwardLayout | null;
  readonly note: string | null;
}

export interface ForwardRunner {
  readonly inputs: readonly { readonly name: string; readonly dims: readonly (number | string | null)[]; readonly type: string }[];
  /** The value read as logits; `normalizedBy` names the Softmax/LogSoftmax it feeds on the way to the output. */
  readonly logits: { readonly output: string; readonly name: string; readonly normalizedBy: 'Softmax' | 'LogSoftmax' | null };
  readonly weightNodes: readonly ForwardWeightNode[];
  run(feeds: Readonly<Record<string, ForwardTensor>>, fetch: readonly string[]): Promise<Record<string, ForwardTensor>>;
}
