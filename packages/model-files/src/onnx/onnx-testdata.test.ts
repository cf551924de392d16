/**
 * readOnnxWeights over every model of ONNX's own test data (Debian package libonnx-testdata): no failure other
 * than a ModelFileError naming the file, and every matrix holding rows·cols values.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import { describe, expect, it } from 'vitest';
import { readOnnxWeights } from './read-onnx-weights.js';

const ROOT = '/usr/share/libonnx-testdata/data';
const installed = existsSync(ROOT);
if (!installed) console.warn(`skipping the libonnx-testdata run: ${ROOT} is missing (apt-get install libonnx-testdata)`);

function models(): string[] {
  return readdirSync(ROOT).flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => join(ROOT, group, name, 'model.onnx'))
      .filter(existsSync),
  );
}

describe.skipIf(!installed)('libonnx-testdata', () => {
  it('reads every model: matrices of rows·cols values, or one ModelFileError naming the file', async () => {
    const files = models();
    let withMatrices = 0;
    let matrices = 0;
    const roles = new Set<string>();
    const refused: string[] = [];
    for (const file of files) {
      try {
        const weights = await readOnnxWeights(file, {});
        let here = 0;
        for await (const item of weights.items()) {
          if (item.kind !== 'matrix') {
            expect(item.reason.length, `${file} ${item.name}`).toBeGreaterThan(0);
            continue;
          }
          expect(item.data.length, `${file} ${item.name}`).toBe(item.rows * item.cols);
          expect(item.data.every(Number.isFinite) || item.data.some(Number.isNaN), `${file} ${item.name}`).toBe(true);
          roles.add(item.role);
          here++;
        }
        matrices += here;
        if (here > 0) withMatrices++;
      } catch (error) {
        if (!(error instanceof ModelFileError)) throw new Error(`${file}: ${String(error)}`, { cause: error });
        expect(error.message).toContain(file);
        refused.push(error.message);
      }
    }
    console.log(`libonnx-testdata: ${files.length} models, ${withMatrices} with weight matrices (${matrices} matrices, roles ${[...roles].sort().join(', ')}), ${refused.length} refused`);
    for (const message of refused) console.log(`  refused: ${message}`);
    expect(files.length).toBeGreaterThan(1000);
    // Most test models pass their weights as graph inputs; 37 hold a constant of rank ≥ 2 feeding a node (counted
    // with onnx in Python), 34 of them as a Conv, ConvTranspose, Gemm or Gather weight (the rest feed an Add or Mul).
    expect(withMatrices).toBeGreaterThanOrEqual(34);
    expect([...roles].sort()).toEqual(['conv', 'conv-transpose', 'dense', 'embedding']);
  });
});
