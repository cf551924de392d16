/**
 * Compression results as stores of schema version 1 kept them: fields of the final layer rows
 * (`compressedAccuracy[rank=K]`, `compressedParams[…]`, `compressedRank[…]`, `compressedError[…]`, and the
 * baseline `testAccuracy`). Migration 2 moves them into the `compression` table with this function; a version-1
 * store opened read-only (no migration) is read through it too, so both give the same rows.
 */
import type { CompressionResult } from '@rank-collapse/rows';

const LEGACY_FIELD = /^compressed(Accuracy|Params|Rank|Error)\[(.+)\]$/;

/** A layer row of version 1 as parsed from its JSON, with its checkpoint. */
type LegacyRow = Record<string, unknown> & { epoch: number; index: number; layer: string };

const numberOr = <T>(value: unknown, fallback: T): number | T => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** `rank=K` (K resolved with the row's K), `rank=20`, `energy=0.01`; undefined for a label this code never wrote. */
function choiceOf(label: string, K: unknown): CompressionResult['choice'] | undefined {
  const [kind, value] = label.split('=');
  if (kind === 'rank') {
    const rank = value === 'K' ? K : Number(value);
    return typeof rank === 'number' && Number.isInteger(rank) && rank > 0 ? { rank } : undefined;
  }
  if (kind === 'energy' && Number.isFinite(Number(value))) return { energy: Number(value) };
  return undefined;
}

/**
 * Splits the layer rows of one trial into the rows without compression fields and the compression results
 * those fields held (one per epoch and label, layers in row order).
 */
export function splitLegacyCompression<Row extends LegacyRow>(rows: readonly Row[]): { rows: Row[]; compression: CompressionResult[] } {
  const results = new Map<string, CompressionResult>();
  const cleaned = rows.map((row) => {
    const labels = new Set<string>();
    const rest: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(row)) {
      const match = LEGACY_FIELD.exec(field);
      if (match) labels.add(match[2]);
      else rest[field] = value;
    }
    if (labels.size === 0) return row;
    // The baseline accuracy was added to the final rows together with the compression fields.
    const baseline = numberOr(rest.testAccuracy, null);
    delete rest.testAccuracy;
    for (const label of labels) {
      const choice = choiceOf(label, row.K);
      const accuracy = row[`compressedAccuracy[${label}]`];
      if (!choice || typeof accuracy !== 'number') continue;
      const id = `${row.epoch}:${label}`;
      const result =
        results.get(id) ??
        ({ epoch: row.epoch, label, choice, split: 'test', accuracy, baselineAccuracy: baseline, paramsBefore: null, paramsAfter: numberOr(row[`compressedParams[${label}]`], null), layers: [] } satisfies CompressionResult);
      result.layers.push({ layer: row.layer, index: row.index, rank: numberOr(row[`compressedRank[${label}]`], null), relativeError: numberOr(row[`compressedError[${label}]`], 0) });
      results.set(id, result);
    }
    return rest as Row;
  });
  return { rows: cleaned, compression: [...results.values()] };
}

/** Whether a stored row of version 1 carries compression fields (cheap test before parsing). */
export const hasLegacyCompression = (json: string): boolean => json.includes('"compressedAccuracy[');
