import type { CheckpointsSpec } from './sweep-config-schema.js';

/**
 * The epochs at which a trial is analyzed, ascending and unique, for a run of `epochs` epochs (epoch 0 = the
 * initialization). `final` → [epochs]; `every` → 1…epochs; `{ every: n }` → n, 2n, … and always the last
 * epoch; a list keeps its entries ≤ epochs.
 * @throws RangeError when `epochs` is not a positive integer.
 */
export function checkpointEpochs(spec: CheckpointsSpec, epochs: number): number[] {
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`checkpointEpochs: epochs must be a positive integer, got ${epochs}`);
  let list: number[];
  if (spec === 'final') list = [epochs];
  else if (spec === 'every') list = Array.from({ length: epochs }, (_, i) => i + 1);
  else if (Array.isArray(spec)) list = spec.filter((epoch) => epoch <= epochs);
  else {
    list = [];
    for (let epoch = spec.every; epoch <= epochs; epoch += spec.every) list.push(epoch);
    list.push(epochs);
  }
  return [...new Set(list)].sort((a, b) => a - b);
}
