/**
 * Seeded parameter initialization. Every param draws from its own stream, `createRng(`${seed}/${name}`)`, so a
 * param's initial value depends only on the seed and its name (adding a layer does not change the others).
 */
import { createRng, float32, type HostTensor, type ParamRole } from '@rank-collapse/backend';
import type { Activation, InitScheme } from './model-config.js';

/** How one param is filled: i.i.d. normal with a standard deviation, or a constant. */
export type ParamFill =
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'constant'; readonly value: number };

/** A param of a built model and how it is initialized. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: ParamRole;
  readonly fill: ParamFill;
}

/**
 * Squared gain of PyTorch's `calculate_gain`: relu 2, leaky-relu 2/(1 + 0.01²), tanh (5/3)², sigmoid 1.
 * He init uses it: Var(W) = gain² / fan_in.
 */
export function activationGainSquared(activation: Activation): number {
  switch (activation) {
    case 'relu':
      return 2;
    case 'leaky-relu':
      return 2 / (1 + 0.01 * 0.01);
    case 'tanh':
      return 25 / 9;
    case 'sigmoid':
      return 1;
  }
}

/** The default scheme for an activation: He for the ReLU family, Xavier otherwise. */
export const defaultInitScheme = (activation: Activation): InitScheme => (activation === 'relu' || activation === 'leaky-relu' ? 'he' : 'xavier');

/**
 * Standard deviation of a weight: He (Kaiming normal, fan-in mode) √(gain²/fan_in), or Xavier (Glorot normal,
 * gain 1) √(2/(fan_in + fan_out)). For a conv, fan_in = C_in·kh·kw and fan_out = C_out·kh·kw.
 */
export function weightStd(scheme: Exclude<InitScheme, 'torch'>, activation: Activation, fanIn: number, fanOut: number): number {
  return scheme === 'he' ? Math.sqrt(activationGainSquared(activation) / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
}

/**
 * How a weight with this fan-in and fan-out is filled: normal with {@link weightStd} for 'he' and 'xavier';
 * for 'torch' U(−b, b) with b = gain·√(3/fan_in), gain = √(2/(1 + a²)) at a = √5, which is b = 1/√fan_in.
 */
export function weightFill(scheme: InitScheme, activation: Activation, fanIn: number, fanOut: number): ParamFill {
  return scheme === 'torch' ? { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) } : { kind: 'normal', std: weightStd(scheme, activation, fanIn, fanOut) };
}

/** A bias: 0, or for 'torch' U(−1/√fan_in, 1/√fan_in) as nn.Linear and nn.Conv2d do. */
export function biasFill(scheme: InitScheme, fanIn: number): ParamFill {
  return scheme === 'torch' ? { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) } : { kind: 'constant', value: 0 };
}

/** Draws the initial values of `specs` (float32 host tensors) from `seed`. */
export function initializeParams(specs: readonly ParamSpec[], seed: number | string): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  for (const spec of specs) {
    const size = spec.shape.reduce((p, d) => p * d, 1);
    const data = new Float32Array(size);
    const fill = spec.fill;
    if (fill.kind === 'constant') data.fill(fill.value);
    else {
      const rng = createRng(`${seed}/${spec.name}`);
      if (fill.kind === 'normal') for (let i = 0; i < size; i++) data[i] = fill.std * rng.normal();
      else for (let i = 0; i < size; i++) data[i] = fill.bound * (2 * rng.uniform() - 1);
    }
    out.set(spec.name, float32(spec.shape, data));
  }
  return out;
}
