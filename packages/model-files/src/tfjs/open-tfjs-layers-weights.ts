/** openTfjsLayersWeights(): the weight matrices of a TF.js Layers model (model.json + shards), Keras conversions included. */
import type { ReadWeightsOptions, WeightFile, WeightItem } from '../weight-matrix.js';
import { planKerasWeight, type KerasWeightOwner } from './keras-kernels.js';
import { readKerasTopology, type KerasLayer } from './keras-topology.js';
import { readModelJson } from './read-model-json.js';
import { planItems } from './plan-items.js';
import { openTfjsShards } from './tfjs-shards.js';

/**
 * Opens a TF.js Layers model.json for its weights. Every manifest weight becomes an item, in manifest order:
 * the kernels of Dense, Conv1D/2D/3D, DepthwiseConv, SeparableConv (its depthwise and pointwise kernels),
 * ConvTranspose, LSTM/GRU/SimpleRNN (one matrix per gate, `lstm.W.i`, `lstm.R.f`; Bidirectional adds
 * `.forward`/`.backward`), ConvLSTM and Embedding layers, inside nested models and TimeDistributed/Bidirectional
 * wrappers; biases, normalization vectors and weights no layer owns are skipped items with the reason. A weight
 * belongs to the layer its manifest name names (`dense/kernel`, `model/dense/kernel:0`, `lstm/lstm_cell/kernel`).
 * @throws ModelFileError naming `file` (and the weight or layer): unreadable or malformed model.json or manifest,
 *   a shard outside the model's folder or missing, shards of the wrong size, a kernel whose shape does not fit its
 *   layer. The manifest and every shard size are checked when the file is opened, before any weight is read.
 */
export async function openTfjsLayersWeights(file: string, options: ReadWeightsOptions = {}): Promise<WeightFile> {
  const { root, groups, producer } = await readModelJson(file);
  const topology = readKerasTopology(file, root.modelTopology);
  const shards = await openTfjsShards(file, groups);
  const owners = new WeightOwners(topology.layers);
  const plans = shards.entries.map((entry) => {
    const owner = owners.of(entry.spec.name);
    if (!owner) return { kind: 'skip', reason: 'no layer of the topology is named in it' } as const;
    if (entry.spec.dtype !== 'float32' && entry.spec.dtype !== 'float16') return { kind: 'skip', reason: `a ${entry.spec.dtype} tensor of layer "${owner.layer.name}", not a float weight` } as const;
    return planKerasWeight(file, owner, entry.spec);
  });
  const items = (): AsyncGenerator<WeightItem> => planItems(shards, plans, options.signal);
  return { file, format: 'tfjs-layers', producer, outputWidth: topology.outputWidth, items };
}

/** Which layer a manifest weight belongs to: the last part of its name that names a layer, before the weight's own name. */
class WeightOwners {
  private readonly byName = new Map<string, KerasLayer[]>();
  private readonly taken = new Set<string>();
  private readonly names = new Map<KerasLayer, string>();

  constructor(layers: readonly KerasLayer[]) {
    const used = new Set<string>();
    for (const layer of layers) {
      this.byName.set(layer.name, [...(this.byName.get(layer.name) ?? []), layer]);
      // Layer names are unique within a model, not across nested ones: qualify a repeated name by its models.
      let name = used.has(layer.name) ? [...layer.models.slice(1), layer.name].join('/') : layer.name;
      for (let n = 2; used.has(name); n++) name = `${layer.name}#${n}`;
      used.add(name);
      this.names.set(layer, name);
    }
  }

  of(weightName: string): KerasWeightOwner | undefined {
    const parts = weightName.replace(/:\d+$/, '').split('/');
    const kind = parts[parts.length - 1];
    for (let i = parts.length - 2; i >= 0; i--) {
      const candidates = this.byName.get(parts[i]);
      if (!candidates) continue;
      const prefix = parts.slice(0, i);
      const direction = (layer: KerasLayer) => {
        if (layer.className !== 'Bidirectional') return undefined;
        const named = parts.slice(i + 1, -1).map((p) => /^(forward|backward)_/.exec(p)?.[1]).find(Boolean) as 'forward' | 'backward' | undefined;
        // Without a forward_/backward_ scope in the name, the forward layer's weights come first.
        return named ?? (this.taken.has(`${layer.models.join('/')}/${layer.name}/forward/${kind}`) ? 'backward' : 'forward');
      };
      const key = (layer: KerasLayer) => `${layer.models.join('/')}/${layer.name}/${direction(layer) ?? ''}/${kind}`;
      // Same-named layers in nested models: the one whose models the name spells out, else the first without this weight yet.
      const layer =
        candidates.find((c) => c.models.slice(1).every((m) => prefix.includes(m)) && !this.taken.has(key(c))) ??
        candidates.find((c) => !this.taken.has(key(c))) ??
        candidates[0];
      const owner = { layer, kind, direction: direction(layer), name: this.names.get(layer)! };
      this.taken.add(key(layer));
      return owner;
    }
    return undefined;
  }
}
