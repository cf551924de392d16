/**
 * importLayersModel: a TensorFlow.js Layers model (model.json + weight shards, e.g. a Keras model converted
 * by tfjs-converter) as an IR graph with its parameter values.
 */
import { readFile } from 'node:fs/promises';
import { GraphBuilder, ModelFileError, type HostTensor, type ImportedModel } from '@rank-collapse/backend';
import { CONVERTERS, toKeras, unsupportedLayers, type ConvertContext, type Held } from './layer-converters.js';
import { parseLayersModelJson } from './layers-model-json.js';
import { readWeights } from './read-weights.js';

/** Name of the imported graph's input: x [N, ...Keras input shape] (channels-last images stay channels-last). */
export const IMPORTED_INPUT = 'x';

/**
 * Reads `modelJsonPath` and its shards. The graph's input `x` takes the same data as the Keras model
 * (e.g. [N, 28, 28, 1]); its single output (graph.outputs[0]) is named after the last layer and equals
 * `model.predict`. Params are `<layer>.weight` (Dense [out, in]; Conv2D OIHW) and `<layer>.bias`.
 * @throws ModelFileError naming the file: unreadable or malformed JSON, every unsupported layer in one message,
 *   a shard whose size does not match the manifest (naming the weight), or a weight of the wrong shape.
 */
export async function importLayersModel(modelJsonPath: string): Promise<ImportedModel> {
  let text: string;
  try {
    text = await readFile(modelJsonPath, 'utf8');
  } catch (error) {
    throw new ModelFileError(modelJsonPath, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const model = parseLayersModelJson(modelJsonPath, text);
  const unsupported = unsupportedLayers(model.layers);
  if (unsupported.length > 0) throw new ModelFileError(modelJsonPath, `unsupported layers: ${unsupported.join(', ')}`);
  const stored = await readWeights(modelJsonPath, model.weightGroups);
  const used = new Set<string>();

  const input = model.inputShape.map((d, i) => (i === 0 ? 'N' : d));
  if (input.slice(1).some((d) => typeof d !== 'number')) throw new ModelFileError(modelJsonPath, `input shape [${model.inputShape}] must be static but for the batch`);
  const g = new GraphBuilder(model.layers.at(-1)?.name ?? 'imported');
  const ctx: ConvertContext = {
    file: modelJsonPath,
    g,
    params: new Map<string, HostTensor>(),
    notes: [],
    weight(layer, suffix) {
      const key = [...stored.keys()].find((k) => k === `${layer}/${suffix}` || k.endsWith(`/${layer}/${suffix}`));
      if (!key) throw new ModelFileError(modelJsonPath, `weight "${layer}/${suffix}" is not in the weights manifest`);
      used.add(key);
      return stored.get(key)!;
    },
  };

  const held = new Map<string, Held>();
  let last: Held = { value: g.input(IMPORTED_INPUT, 'float32', input as (number | string)[]), order: 'keras' };
  for (const layer of model.layers) {
    const from = layer.inbound === undefined ? last : held.get(layer.inbound);
    if (!from) throw new ModelFileError(modelJsonPath, `layer "${layer.name}" reads "${layer.inbound}", which comes later or does not exist`);
    last = CONVERTERS[layer.className](ctx, layer, from);
    held.set(layer.name, last);
  }
  const out = toKeras(ctx, last);
  g.output(out);
  const unused = [...stored.keys()].filter((k) => !used.has(k));
  if (unused.length > 0) ctx.notes.push(`weights not used: ${unused.join(', ')}`);
  return { graph: g.build(), params: ctx.params, source: { file: modelJsonPath, format: `tfjs ${model.format}`, notes: ctx.notes } };
}
