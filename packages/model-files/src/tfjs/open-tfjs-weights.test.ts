/**
 * The TF.js readers against the numpy reference of scripts/tfjs-fixtures.py: every item in manifest order, each
 * matrix's role, op, shape and first row/column entries (exact: the same float32 values), and its singular values
 * within 1e-6·σ₁; skipped tensors with their reason.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@rank-collapse/backend/testing';
import { createMatrix, singularValues } from '@rank-collapse/metrics';
import { openWeightFile } from '../open-weight-file.js';
import type { WeightFile, WeightItem } from '../weight-matrix.js';
import { openTfjsGraphWeights, openTfjsLayersWeights } from './open-tfjs-weights.js';

const FIXTURES = join(import.meta.dirname, '__fixtures__');

interface ExpectedMatrix {
  kind: 'matrix';
  name: string;
  tensor: string;
  role: string;
  op: string;
  rows: number;
  cols: number;
  singularValues: number[];
  row0: number[];
  col0: number[];
}
interface Expected {
  producer: string | null;
  outputWidth: number | null;
  items: (ExpectedMatrix | { kind: 'skipped'; name: string; reason: string })[];
}

async function collect(file: WeightFile): Promise<WeightItem[]> {
  const out: WeightItem[] = [];
  for await (const item of file.items()) out.push(item);
  return out;
}

function check(fixture: string, items: WeightItem[], expected: Expected): void {
  expect(items.map((i) => `${i.kind} ${i.name}`)).toEqual(expected.items.map((i) => `${i.kind} ${i.name}`));
  // The matrices of one tensor (its gates or batch slices) hold exactly its values.
  const perTensor = new Map<string, number>();
  for (const i of items) if (i.kind === 'matrix') perTensor.set(i.tensor, (perTensor.get(i.tensor) ?? 0) + i.rows * i.cols);
  for (const i of items) if (i.kind === 'matrix') expect(perTensor.get(i.tensor), `${fixture}: values of ${i.tensor}`).toBe(i.shape.reduce((a, d) => a * d, 1));
  for (const [k, want] of expected.items.entries()) {
    const got = items[k];
    const what = `${fixture}: ${want.name}`;
    if (want.kind === 'skipped') {
      if (got.kind !== 'skipped') throw new Error(`${what} is not skipped`);
      expect(got.reason, what).toContain(want.reason);
      continue;
    }
    if (got.kind !== 'matrix') throw new Error(`${what} is skipped: ${got.reason}`);
    expect({ tensor: got.tensor, role: got.role, op: got.op, rows: got.rows, cols: got.cols }, what).toEqual({ tensor: want.tensor, role: want.role, op: want.op, rows: want.rows, cols: want.cols });
    expect(got.data.length, what).toBe(got.rows * got.cols);
    // Orientation: the same float32 values in the same places.
    expect(Array.from(got.data.subarray(0, want.row0.length)), `${what} row 0`).toEqual(want.row0);
    expect(want.col0.map((_, r) => got.data[r * got.cols]), `${what} column 0`).toEqual(want.col0);
    const sigma = singularValues(createMatrix(got.rows, got.cols, got.data));
    expectClose(sigma, want.singularValues, { atol: 1e-6 * want.singularValues[0], rtol: 0 }, `${what} singular values`);
  }
}

const fixtures = readdirSync(FIXTURES).filter((d) => d.startsWith('layers-') || d.startsWith('graph-'));

describe('TF.js readers against the numpy reference', () => {
  it('has the fixtures the generator writes', () => {
    expect(fixtures.sort()).toEqual(['graph-model', 'graph-operands', 'layers-functional-branches', 'layers-nested', 'layers-quantized', 'layers-sequential-conv']);
  });

  it.each(fixtures)('%s', async (fixture) => {
    const file = join(FIXTURES, fixture, 'model.json');
    const expected = JSON.parse(readFileSync(join(FIXTURES, fixture, 'expected.json'), 'utf8')) as Expected;
    const graph = fixture.startsWith('graph-');
    const opened = await (graph ? openTfjsGraphWeights : openTfjsLayersWeights)(file, {});
    expect(opened.format).toBe(graph ? 'tfjs-graph' : 'tfjs-layers');
    expect(opened.producer).toBe(expected.producer);
    expect(opened.outputWidth).toBe(expected.outputWidth);
    check(fixture, await collect(opened), expected);
    // The dispatcher tells the kind from the file and gives the same items.
    const dispatched = await openWeightFile(file);
    expect(dispatched.format).toBe(opened.format);
    expect((await collect(dispatched)).map((i) => i.name)).toEqual(expected.items.map((i) => i.name));
  });

  it('notes how each kernel was read, including dequantization', async () => {
    const items = await collect(await openTfjsLayersWeights(join(FIXTURES, 'layers-quantized', 'model.json')));
    const notes = Object.fromEntries(items.flatMap((i) => (i.kind === 'matrix' ? [[i.name, i.note]] : [])));
    expect(notes.conv3d).toMatch(/read as C_out × C_in·k…; dequantized from uint16 \(value = q·[\d.e-]+ \+ -?[\d.e-]+\)/);
    expect(notes.dense_u8).toMatch(/dequantized from uint8/);
    expect(notes.dense_q16).toBe('stored as float16');
    expect(notes.dense_f16).toBe('stored as float16');
    const conv = await collect(await openTfjsLayersWeights(join(FIXTURES, 'layers-sequential-conv', 'model.json')));
    const depthwise = conv.find((i) => i.name === 'depthwise_conv2d_DepthwiseConv2D1');
    expect(depthwise?.kind === 'matrix' && depthwise.note).toMatch(/C_in·multiplier × k…/);
  });

  it('stops between tensors when aborted', async () => {
    const controller = new AbortController();
    const opened = await openTfjsLayersWeights(join(FIXTURES, 'layers-nested', 'model.json'), { signal: controller.signal });
    const iterator = opened.items()[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toThrow(/abort/i);
  });
});
