/** Compares the items a reader yields with the numpy reference written by scripts/torch-fixtures.py. */
import { createMatrix, singularValues } from '@rank-collapse/metrics';
import { expect } from 'vitest';
import type { WeightFile, WeightItem } from '../weight-matrix.js';

export interface ReferenceItem {
  kind: 'matrix' | 'skipped';
  name: string;
  shape: number[];
  role?: string;
  rows?: number;
  cols?: number;
  data?: number[];
  sigma?: number[];
}

export interface ReferenceFile {
  outputWidth: number | null;
  items: ReferenceItem[];
}

export async function collect(file: WeightFile): Promise<WeightItem[]> {
  const items: WeightItem[] = [];
  for await (const item of file.items()) items.push(item);
  return items;
}

/** Same items in the same order; matrix values exactly equal, singular values within 1e-6·σ₁. */
export function expectItemsMatch(items: readonly WeightItem[], reference: ReferenceFile): void {
  expect(items.map((i) => `${i.kind} ${i.name}`)).toEqual(reference.items.map((i) => `${i.kind} ${i.name}`));
  items.forEach((item, k) => {
    const ref = reference.items[k];
    expect([...item.shape], item.name).toEqual(ref.shape);
    if (item.kind !== 'matrix') return;
    expect({ role: item.role, rows: item.rows, cols: item.cols }, item.name).toEqual({ role: ref.role, rows: ref.rows, cols: ref.cols });
    expect(item.data.length).toBe(item.rows * item.cols);
    expect(Array.from(item.data), item.name).toEqual(ref.data);
    const sigma = singularValues(createMatrix(item.rows, item.cols, item.data));
    const sigma1 = ref.sigma![0];
    expect(sigma.length).toBe(ref.sigma!.length);
    sigma.forEach((s, j) => expect(Math.abs(s - ref.sigma![j]), `${item.name} σ${j + 1}`).toBeLessThanOrEqual(1e-6 * sigma1));
  });
}
