import type { WeightItem } from '../weight-matrix.js';
import type { KernelPlan } from './kernel-plan.js';
import type { TfjsShards } from './tfjs-shards.js';
import { quantizationNote, valuesAsFloat32 } from './tfjs-values.js';

/**
 * The items of a TF.js file from one plan per manifest weight, in manifest order: skipped weights with their
 * reason, and the matrices each read weight gives (one weight read at a time). `rename` makes names unique
 * where a format can give one name twice.
 */
export async function* planItems(
  shards: TfjsShards,
  plans: readonly KernelPlan[],
  signal: AbortSignal | undefined,
  rename: (name: string) => string = (name) => name,
): AsyncGenerator<WeightItem> {
  for (const [i, entry] of shards.entries.entries()) {
    signal?.throwIfAborted();
    const plan = plans[i];
    const { name, shape } = entry.spec;
    if (plan.kind === 'skip') {
      yield { kind: 'skipped', name, shape, reason: plan.reason };
      continue;
    }
    const values = valuesAsFloat32(await shards.read(entry));
    const quantized = quantizationNote(entry.spec);
    for (const m of plan.build(values)) {
      const note = [m.note, quantized].filter(Boolean).join('; ') || null;
      yield { kind: 'matrix', ...m, name: rename(m.name), tensor: name, shape, note };
    }
  }
}
