/**
 * The layers of a Keras / TF.js Layers topology that can own weights, whatever the model's shape: Sequential
 * and Functional models, models nested inside models (any depth), and TimeDistributed / Bidirectional wrappers
 * (the wrapped layer kept with its wrapper). Also the model's output width (the classifier's K).
 */
import { ModelFileError } from '@rank-collapse/backend';
import { isObject, type Json } from './read-model-json.js';

const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);
/** Layers an output passes through unchanged in width on its way out of the model. */
const PASS_THROUGH = new Set(['Activation', 'Softmax', 'Dropout', 'Flatten']);

export interface KerasLayer {
  readonly className: string;
  readonly name: string;
  readonly config: Json;
  /** Names of the models enclosing it, outermost first (the top model included). */
  readonly models: readonly string[];
  /** For TimeDistributed and Bidirectional: the layer inside. */
  readonly inner?: { readonly className: string; readonly name: string; readonly config: Json };
}

export interface KerasTopology {
  /** Every non-model layer, nested models expanded, in topology order. */
  readonly layers: readonly KerasLayer[];
  /** Units of the Dense layer whose output is the model's single output (through Activation/Softmax/Dropout/Flatten and nested models), else null. */
  readonly outputWidth: number | null;
}

/**
 * @param modelTopology the `modelTopology` of a Layers model.json (tfjs-converter's `model_config` wrapper or the model itself)
 * @throws ModelFileError naming `file` when the topology is not a Sequential/Functional model or a layer has no class.
 */
export function readKerasTopology(file: string, modelTopology: unknown): KerasTopology {
  if (!isObject(modelTopology)) throw new ModelFileError(file, 'has no "modelTopology" object: not a TF.js Layers model.json');
  const model = isObject(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  if (!MODEL_CLASSES.has(String(model.class_name))) throw new ModelFileError(file, `model class ${JSON.stringify(model.class_name)} is not Sequential, Model or Functional`);
  const layers: KerasLayer[] = [];
  collect(file, model, [], layers, 0);
  return { layers, outputWidth: outputWidth(model, 0) };
}

/** The layer list of a model config: Keras 1 Sequential configs are the list itself. */
function layerList(model: Json): unknown[] {
  const config = model.config;
  if (Array.isArray(config)) return config;
  return isObject(config) && Array.isArray(config.layers) ? config.layers : [];
}

function modelName(model: Json): string {
  const config = model.config;
  return String((isObject(config) && config.name) ?? model.name ?? model.class_name);
}

function describe(file: string, l: unknown, where: string): { className: string; name: string; config: Json } {
  if (!isObject(l) || typeof l.class_name !== 'string') throw new ModelFileError(file, `${where} has no "class_name"`);
  const config = isObject(l.config) ? l.config : {};
  return { className: l.class_name, name: String(config.name ?? l.name ?? l.class_name), config };
}

function collect(file: string, model: Json, outer: readonly string[], out: KerasLayer[], depth: number): void {
  // A JSON file can nest as deep as it likes; a real model does not.
  if (depth > 64) throw new ModelFileError(file, `models are nested more than 64 deep in "${modelName(model)}"`);
  const models = [...outer, modelName(model)];
  for (const [i, l] of layerList(model).entries()) {
    const layer = describe(file, l, `layer ${i} of model "${models.at(-1)}"`);
    if (MODEL_CLASSES.has(layer.className)) {
      collect(file, l as Json, models, out, depth + 1);
      continue;
    }
    const wrapped = layer.config.layer;
    const inner = (layer.className === 'TimeDistributed' || layer.className === 'Bidirectional') && isObject(wrapped) ? describe(file, wrapped, `the layer wrapped by "${layer.name}"`) : undefined;
    out.push({ ...layer, models, ...(inner ? { inner } : {}) });
  }
}

function outputWidth(model: Json, depth: number): number | null {
  if (depth > 64) return null;
  const list = layerList(model).filter(isObject);
  const nameOf = (l: Json) => String((isObject(l.config) && l.config.name) ?? l.name ?? '');
  let outputs: string[];
  if (model.class_name === 'Sequential') {
    outputs = list.length > 0 ? [nameOf(list[list.length - 1])] : [];
  } else {
    const spec = isObject(model.config) ? model.config.output_layers : undefined;
    // [["dense", 0, 0], …], or a single ["dense", 0, 0] as Keras 3 writes one output.
    const entries = Array.isArray(spec) ? (typeof spec[0] === 'string' ? [spec] : spec) : [];
    outputs = entries.map((e) => String(Array.isArray(e) ? e[0] : e));
  }
  if (outputs.length !== 1) return null;
  let name: string | undefined = outputs[0];
  for (let steps = 0; name !== undefined && steps <= list.length; steps++) {
    const index = list.findIndex((l) => nameOf(l) === name);
    if (index < 0) return null;
    const layer = list[index];
    const className = String(layer.class_name);
    const config = isObject(layer.config) ? layer.config : {};
    if (className === 'Dense') return typeof config.units === 'number' ? config.units : null;
    if (className === 'TimeDistributed' && isObject(config.layer) && config.layer.class_name === 'Dense') {
      const units = isObject(config.layer.config) ? config.layer.config.units : undefined;
      return typeof units === 'number' ? units : null;
    }
    if (MODEL_CLASSES.has(className)) return outputWidth(layer, depth + 1);
    if (!PASS_THROUGH.has(className)) return null;
    name = model.class_name === 'Sequential' ? (index > 0 ? nameOf(list[index - 1]) : undefined) : singleInbound(layer);
  }
  return null;
}

/** The one layer feeding a functional layer, from Keras 2 (`[[["name", 0, 0, {}]]]`) or Keras 3 (`keras_history`) inbound nodes. */
function singleInbound(layer: Json): string | undefined {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length !== 1) return undefined;
  const node = nodes[0];
  if (Array.isArray(node)) return node.length === 1 && Array.isArray(node[0]) ? String(node[0][0]) : undefined;
  if (isObject(node) && Array.isArray(node.args) && node.args.length === 1) {
    const arg = node.args[0];
    const history = isObject(arg) && isObject(arg.config) ? arg.config.keras_history : undefined;
    return Array.isArray(history) ? String(history[0]) : undefined;
  }
  return undefined;
}
