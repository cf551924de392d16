/**
 * Internal helper shared by the architectures: builds one graph (inference or training mode), records how each
 * param is initialized, and names values after the layer they belong to (`dense1.weight`, `dense1.z`, `dense1.h`).
 */
import { GraphBuilder, type Value } from '@rank-collapse/backend';
import { biasFill, defaultInitScheme, weightFill, type ParamSpec } from './initialization.js';
import type { Activation, InitScheme } from './model-config.js';
import { MODEL_INPUT, MODEL_OUTPUT } from './model.js';

/** Batch-norm constants (ONNX conventions): running = momentum·running + (1 − momentum)·batch. */
export const BATCH_NORM_EPSILON = 1e-5;
export const BATCH_NORM_MOMENTUM = 0.9;

export class LayerBuilder {
  readonly b: GraphBuilder;
  readonly specs: ParamSpec[] = [];
  /** Running-stat param → updated-value output (training mode only). */
  readonly runningStats: Record<string, string> = {};
  private readonly scheme: InitScheme;

  constructor(
    name: string,
    readonly training: boolean,
    readonly activationKind: Activation,
    init: InitScheme | undefined,
  ) {
    this.b = new GraphBuilder(name);
    this.scheme = init ?? defaultInitScheme(activationKind);
  }

  input(sampleShape: readonly number[]): Value {
    return this.b.input(MODEL_INPUT, 'float32', ['N', ...sampleShape]);
  }

  private param(spec: ParamSpec): Value {
    this.specs.push(spec);
    return this.b.param(spec.name, spec.shape, spec.role);
  }

  /** z = h Wᵀ + b with W [out, in] (Gemm, transB), h [N, in]. */
  dense(name: string, h: Value, out: number, bias: boolean): Value {
    const n = h.shape[1] as number;
    const w = this.param({ name: `${name}.weight`, shape: [out, n], role: 'weight', fill: weightFill(this.scheme, this.activationKind, n, out) });
    const b = bias ? this.param({ name: `${name}.bias`, shape: [out], role: 'bias', fill: biasFill(this.scheme, n) }) : undefined;
    return this.b.gemm(h, w, b, { transB: true }, { name: `${name}.z` });
  }

  /** k×k convolution, `same` padding for stride 1, kernel [out, C_in, k, k]. */
  conv(name: string, h: Value, out: number, options: { kernel: number; stride: number; bias: boolean }): Value {
    const c = h.shape[1] as number;
    const { kernel: k, stride } = options;
    const w = this.param({
      name: `${name}.weight`,
      shape: [out, c, k, k],
      role: 'weight',
      fill: weightFill(this.scheme, this.activationKind, c * k * k, out * k * k),
    });
    const b = options.bias ? this.param({ name: `${name}.bias`, shape: [out], role: 'bias', fill: biasFill(this.scheme, c * k * k) }) : undefined;
    const p = (k - 1) >> 1;
    return this.b.conv(h, w, b, { strides: [stride, stride], pads: [p, p, p, p] }, { name: `${name}.z` });
  }

  /** Batch norm over channels with params `${name}.scale|shift|running_mean|running_var`; output `${name}.y`. */
  batchNorm(name: string, h: Value): Value {
    const c = h.shape[1] as number;
    const scale = this.param({ name: `${name}.scale`, shape: [c], role: 'norm-scale', fill: { kind: 'constant', value: 1 } });
    const shift = this.param({ name: `${name}.shift`, shape: [c], role: 'norm-shift', fill: { kind: 'constant', value: 0 } });
    const mean = this.param({ name: `${name}.running_mean`, shape: [c], role: 'running-mean', fill: { kind: 'constant', value: 0 } });
    const variance = this.param({ name: `${name}.running_var`, shape: [c], role: 'running-var', fill: { kind: 'constant', value: 1 } });
    if (!this.training) return this.b.batchNorm(h, scale, shift, mean, variance, { epsilon: BATCH_NORM_EPSILON }, { name: `${name}.y` });
    const outputs = [`${name}.y`, `${name}.running_mean.next`, `${name}.running_var.next`];
    const [y] = this.b.node('BatchNormalization', [h, scale, shift, mean, variance], { epsilon: BATCH_NORM_EPSILON, momentum: BATCH_NORM_MOMENTUM, training: true }, { name: `${name}.y`, outputs });
    this.runningStats[mean.name] = outputs[1];
    this.runningStats[variance.name] = outputs[2];
    return y;
  }

  activation(name: string, z: Value): Value {
    const o = { name };
    switch (this.activationKind) {
      case 'relu':
        return this.b.relu(z, o);
      case 'leaky-relu':
        return this.b.leakyRelu(z, 0.01, o);
      case 'tanh':
        return this.b.tanh(z, o);
      case 'sigmoid':
        return this.b.sigmoid(z, o);
    }
  }

  /**
   * Dense layers `dense1`, `dense2`, … of the given hidden widths with activations between them, then the
   * K-wide classifier (no activation); returns the logits.
   */
  denseHead(h: Value, hidden: readonly number[], numClasses: number, bias: boolean): Value {
    const widths = [...hidden, numClasses];
    widths.forEach((width, i) => {
      const name = `dense${i + 1}`;
      const z = this.dense(name, h, width, bias);
      h = i < widths.length - 1 ? this.activation(`${name}.h`, z) : z;
    });
    return h;
  }

  /** Marks the logits (and in training mode the updated running stats) as outputs and builds the graph. */
  finish(logits: Value) {
    this.b.output(logits, MODEL_OUTPUT);
    if (this.training) for (const next of Object.values(this.runningStats)) this.b.output(this.b.value(next));
    return this.b.build();
  }
}
