/**
 * The TensorFlow.js Layers `model.json` (written by `model.save` and by tfjs-converter from Keras): its
 * topology normalized to a list of layers with their inbound layer, and its weights manifest.
 */
import { ModelFileError } from '@rank-collapse/backend';

/** One layer of the topology, in order. */
export interface LayerSpec {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Name of the layer feeding this one; undefined for the first layer of a Sequential model or an input. */
  readonly inbound?: string;
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

export interface WeightGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

export interface LayersModelJson {
  readonly layers: readonly LayerSpec[];
  /** The input layer's batch shape, e.g. [null, 28, 28, 1]. */
  readonly inputShape: readonly (number | null)[];
  readonly weightGroups: readonly WeightGroup[];
  readonly format: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses model.json text. @throws ModelFileError naming the file and what is missing. */
export function parseLayersModelJson(file: string, text: string): LayersModelJson {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(file, `not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(root) || !isObject(root.modelTopology)) throw new ModelFileError(file, 'no "modelTopology": not a TensorFlow.js Layers model.json');
  // tfjs-converter wraps the Keras config in "model_config"; model.save writes it directly.
  const topology = isObject(root.modelTopology.model_config) ? root.modelTopology.model_config : root.modelTopology;
  const className = String(topology.class_name ?? '');
  const config = topology.config;
  let layers: LayerSpec[];
  if (className === 'Sequential') {
    const list = Array.isArray(config) ? config : isObject(config) && Array.isArray(config.layers) ? config.layers : undefined;
    if (!list) throw new ModelFileError(file, 'Sequential model without a "layers" list');
    const specs = list.map((l: unknown, i: number) => layerSpec(file, l, i));
    layers = specs.map((l, i) => ({ ...l, inbound: i === 0 ? undefined : specs[i - 1].name }));
  } else if (className === 'Model' || className === 'Functional') {
    if (!isObject(config) || !Array.isArray(config.layers)) throw new ModelFileError(file, `${className} model without a "layers" list`);
    layers = config.layers.map((l: unknown, i: number) => ({ ...layerSpec(file, l, i), inbound: inboundOf(file, l) }));
    const outputs = config.output_layers;
    if (Array.isArray(outputs) && outputs.length !== 1) throw new ModelFileError(file, `${outputs.length} output layers; only single-output models are supported`);
  } else {
    throw new ModelFileError(file, `model class "${className}" is not Sequential, Model or Functional`);
  }
  const manifest = Array.isArray(root.weightsManifest) ? root.weightsManifest : [];
  const weightGroups = manifest.map((g: unknown, i: number): WeightGroup => {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new ModelFileError(file, `weightsManifest[${i}] needs "paths" and "weights"`);
    return { paths: g.paths.map(String), weights: g.weights as WeightSpec[] };
  });
  return { layers, inputShape: inputShapeOf(file, layers), weightGroups, format: String(root.format ?? 'layers-model') };
}

function layerSpec(file: string, l: unknown, index: number): LayerSpec {
  if (!isObject(l) || typeof l.class_name !== 'string') throw new ModelFileError(file, `layer ${index} has no "class_name"`);
  const config = isObject(l.config) ? l.config : {};
  const name = String(config.name ?? l.name ?? `${l.class_name}_${index}`);
  return { className: l.class_name, name, config };
}

/** The single inbound layer of a functional layer (inbound_nodes [[["name", 0, 0, {}]]] or Keras 3 style). */
function inboundOf(file: string, l: unknown): string | undefined {
  const nodes = isObject(l) ? l.inbound_nodes : undefined;
  if (!Array.isArray(nodes) || nodes.length === 0) return undefined;
  const first = nodes[0];
  if (Array.isArray(first)) {
    if (first.length !== 1) throw new ModelFileError(file, `layer "${String((l as Json).name)}" has ${first.length} inputs; only chains of single-input layers are supported`);
    return String(first[0][0]);
  }
  return undefined;
}

function inputShapeOf(file: string, layers: readonly LayerSpec[]): (number | null)[] {
  for (const l of layers) {
    const shape = l.config.batch_input_shape ?? l.config.batch_shape ?? l.config.batchInputShape;
    if (Array.isArray(shape)) return shape as (number | null)[];
    if (l.className !== 'InputLayer') break;
  }
  throw new ModelFileError(file, 'no input shape: the first layer has no batch_input_shape');
}
