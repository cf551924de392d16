/**
 * Keras/TF.js layers → IR ops. Keras image tensors are channels-last (NHWC); the IR's convs and pools are
 * NCHW, so a value carries its order: `keras` (as Keras sees it) or `nchw` (a channels-last Keras tensor held
 * transposed to NCHW). Transposes are inserted only where the order must change: before the first conv/pool
 * of a run, and back before Flatten, Dense or the output, so Flatten's order equals Keras's (H, W, C).
 */
import { ModelFileError, type GraphBuilder, type HostTensor, type ParamRole, type Value } from '@rank-collapse/backend';
import type { LayerSpec } from './layers-model-json.js';
import { transposeHost } from './transpose-host.js';

export interface Held {
  readonly value: Value;
  readonly order: 'keras' | 'nchw';
}

export interface ConvertContext {
  readonly file: string;
  readonly g: GraphBuilder;
  /** Imported param values by IR param name. */
  readonly params: Map<string, HostTensor>;
  readonly notes: string[];
  /** The stored weight `suffix` (e.g. "kernel") of a layer. @throws ModelFileError naming it when missing. */
  weight(layer: string, suffix: string): HostTensor;
}

type Converter = (ctx: ConvertContext, layer: LayerSpec, input: Held) => Held;

const ACTIVATIONS = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'softmax']);

const pair = (v: unknown, fallback: [number, number]): [number, number] =>
  v === undefined || v === null ? fallback : Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];

const channelsFirst = (layer: LayerSpec) => layer.config.data_format === 'channels_first';

/** The value in Keras's order. */
export function toKeras(ctx: ConvertContext, held: Held): Value {
  return held.order === 'keras' ? held.value : ctx.g.transpose(held.value, [0, 2, 3, 1]);
}

/** The value as NCHW for a conv/pool layer. */
function toNchw(ctx: ConvertContext, layer: LayerSpec, held: Held): Value {
  if (held.value.shape.length !== 4) throw new ModelFileError(ctx.file, `${layer.className} "${layer.name}" needs a 4-D input, got rank ${held.value.shape.length}`);
  if (channelsFirst(layer)) {
    if (held.order !== 'keras') throw new ModelFileError(ctx.file, `${layer.className} "${layer.name}": mixing channels_first and channels_last layers is not supported`);
    return held.value;
  }
  return held.order === 'nchw' ? held.value : ctx.g.transpose(held.value, [0, 3, 1, 2]);
}

const spatialOut = (layer: LayerSpec): Held['order'] => (channelsFirst(layer) ? 'keras' : 'nchw');

/** Explicit pads [top, left, bottom, right] of TensorFlow's "same" padding. */
function samePads(size: [number, number], kernel: [number, number], strides: [number, number], dilations: [number, number]): [number, number, number, number] {
  const along = (i: number): [number, number] => {
    const out = Math.ceil(size[i] / strides[i]);
    const total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size[i], 0);
    // TensorFlow puts the odd pixel at the end.
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [top, bottom] = along(0);
  const [left, right] = along(1);
  return [top, left, bottom, right];
}

function padsFor(layer: LayerSpec, x: Value, kernel: [number, number], strides: [number, number], dilations: [number, number]) {
  const padding = String(layer.config.padding ?? 'valid');
  if (padding === 'valid') return undefined;
  const [h, w] = [x.shape[2], x.shape[3]] as number[];
  return samePads([h, w], kernel, strides, dilations);
}

function param(ctx: ConvertContext, name: string, value: HostTensor, role: ParamRole, origin: string): Value {
  ctx.params.set(name, value);
  ctx.notes.push(`${origin} → ${name} [${value.shape}]`);
  return ctx.g.param(name, value.shape, role);
}

function expectShape(ctx: ConvertContext, weightName: string, t: HostTensor, shape: readonly number[]): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ModelFileError(ctx.file, `weight "${weightName}" has shape [${t.shape}], expected [${shape}]`);
  }
}

/** Appends the layer's activation as the op named `name` (an Identity when linear, so the layer name is a value). */
function activate(ctx: ConvertContext, layer: LayerSpec, held: Held, name: string, activation = String(layer.config.activation ?? 'linear')): Held {
  const { g } = ctx;
  const o = { name };
  const v = held.value;
  switch (activation) {
    case 'linear':
      return { value: v.name === name ? v : g.identity(v, o), order: held.order };
    case 'relu':
      return { value: g.relu(v, o), order: held.order };
    case 'sigmoid':
      return { value: g.sigmoid(v, o), order: held.order };
    case 'tanh':
      return { value: g.tanh(v, o), order: held.order };
    case 'softmax':
      // Keras's softmax runs over the last Keras axis: the channel axis of a transposed image tensor.
      return { value: g.softmax(v, held.order === 'nchw' ? 1 : -1, o), order: held.order };
    default:
      throw new ModelFileError(ctx.file, `${layer.className} "${layer.name}": activation "${activation}" is not supported`);
  }
}

const hasActivation = (layer: LayerSpec) => String(layer.config.activation ?? 'linear') !== 'linear';

export const CONVERTERS: Record<string, Converter> = {
  InputLayer: (_ctx, _layer, input) => input,
  Dropout: (ctx, layer, input) => ({ value: ctx.g.identity(input.value, { name: layer.name }), order: input.order }),
  Activation: (ctx, layer, input) => activate(ctx, layer, input, layer.name),
  Flatten: (ctx, layer, input) => ({ value: ctx.g.flatten(toKeras(ctx, input), 1, { name: layer.name }), order: 'keras' }),
  Dense: (ctx, layer, input) => {
    const { g } = ctx;
    const x = toKeras(ctx, input);
    const inFeatures = x.shape.at(-1) as number;
    const units = Number(layer.config.units);
    const kernel = ctx.weight(layer.name, 'kernel');
    expectShape(ctx, `${layer.name}/kernel`, kernel, [inFeatures, units]);
    // Stored [out, in] like the project's own dense layers, so the analysis reads W as m×n = out×in.
    const w = param(ctx, `${layer.name}.weight`, transposeHost(kernel, [1, 0]), 'weight', `${layer.name}/kernel [${kernel.shape}] transposed`);
    let b: Value | undefined;
    if (layer.config.use_bias !== false) {
      const bias = ctx.weight(layer.name, 'bias');
      expectShape(ctx, `${layer.name}/bias`, bias, [units]);
      b = param(ctx, `${layer.name}.bias`, bias, 'bias', `${layer.name}/bias`);
    }
    const zName = hasActivation(layer) ? `${layer.name}.z` : layer.name;
    let z: Value;
    if (x.shape.length === 2) z = g.gemm(x, w, b, { transB: true }, { name: zName });
    else if (b) z = g.add(g.matmul(x, w, { transB: true }), b, { name: zName });
    else z = g.matmul(x, w, { transB: true }, { name: zName });
    return activate(ctx, layer, { value: z, order: 'keras' }, layer.name);
  },
  Conv2D: (ctx, layer, input) => {
    const { g } = ctx;
    const x = toNchw(ctx, layer, input);
    const kernelSize = pair(layer.config.kernel_size, [1, 1]);
    const strides = pair(layer.config.strides, [1, 1]);
    const dilations = pair(layer.config.dilation_rate, [1, 1]);
    const group = Number(layer.config.groups ?? 1);
    const filters = Number(layer.config.filters);
    const channels = x.shape[1] as number;
    const kernel = ctx.weight(layer.name, 'kernel');
    expectShape(ctx, `${layer.name}/kernel`, kernel, [...kernelSize, channels / group, filters]);
    const w = param(ctx, `${layer.name}.weight`, transposeHost(kernel, [3, 2, 0, 1]), 'weight', `${layer.name}/kernel [${kernel.shape}] (HWIO) as OIHW`);
    let b: Value | undefined;
    if (layer.config.use_bias !== false) {
      const bias = ctx.weight(layer.name, 'bias');
      expectShape(ctx, `${layer.name}/bias`, bias, [filters]);
      b = param(ctx, `${layer.name}.bias`, bias, 'bias', `${layer.name}/bias`);
    }
    const pads = padsFor(layer, x, kernelSize, strides, dilations);
    const z = g.conv(x, w, b, { strides, dilations, group, ...(pads ? { pads } : {}) }, { name: hasActivation(layer) ? `${layer.name}.z` : layer.name });
    return activate(ctx, layer, { value: z, order: spatialOut(layer) }, layer.name);
  },
  MaxPooling2D: (ctx, layer, input) => pool(ctx, layer, input, 'max'),
  AveragePooling2D: (ctx, layer, input) => pool(ctx, layer, input, 'average'),
};

function pool(ctx: ConvertContext, layer: LayerSpec, input: Held, kind: 'max' | 'average'): Held {
  const x = toNchw(ctx, layer, input);
  const kernelShape = pair(layer.config.pool_size, [2, 2]);
  const strides = pair(layer.config.strides, kernelShape);
  const pads = padsFor(layer, x, kernelShape, strides, [1, 1]);
  const attrs = { kernelShape, strides, ...(pads ? { pads } : {}) };
  const o = { name: layer.name };
  const value = kind === 'max' ? ctx.g.maxPool(x, attrs, o) : ctx.g.averagePool(x, { ...attrs, countIncludePad: false }, o);
  return { value, order: spatialOut(layer) };
}

/** "Class "name"" of every layer (or activation) the converters cannot handle. */
export function unsupportedLayers(layers: readonly LayerSpec[]): string[] {
  const problems: string[] = [];
  for (const l of layers) {
    if (!CONVERTERS[l.className]) problems.push(`${l.className} "${l.name}"`);
    else if (l.config.activation !== undefined && !ACTIVATIONS.has(String(l.config.activation))) problems.push(`${l.className} "${l.name}" (activation ${String(l.config.activation)})`);
  }
  return problems;
}
