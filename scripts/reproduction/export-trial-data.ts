/**
 * Writes the training and test sets of a sweep file's `dataset:` section (given as JSON) exactly as a trial loads
 * them (the same balanced subsets, the same pixel normalization) as raw little-endian arrays, for scripts outside
 * the toolkit (scripts/reproduction/torch_side_by_side.py):
 *
 *   node --conditions=source --import tsx scripts/reproduction/export-trial-data.ts \
 *     '{"name":"mnist","subsetPerClass":1000,"testSubsetPerClass":500}' <out-dir>
 *
 * Files: train-x.f32, train-y.i32, test-x.f32, test-y.i32 and meta.json (sample shape, sizes, the section).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentDatasetSchema as trialDatasetSchema, loadTrialData } from '../../packages/experiment/src/index.js';

const [json, out] = process.argv.slice(2);
if (!json || !out) {
  console.error("usage: export-trial-data.ts '<dataset section as JSON>' <out-dir>");
  process.exit(2);
}
const section = trialDatasetSchema.parse(JSON.parse(json));
const { train, test } = loadTrialData(section);
mkdirSync(out, { recursive: true });
const bytes = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
for (const [name, split] of [['train', train], ['test', test]] as const) {
  writeFileSync(join(out, `${name}-x.f32`), bytes(Float32Array.from(split.x)));
  writeFileSync(join(out, `${name}-y.i32`), bytes(Int32Array.from(split.y)));
}
writeFileSync(join(out, 'meta.json'), JSON.stringify({ sampleShape: train.sampleShape, train: train.size, test: test.size, numClasses: train.numClasses, dataset: section }, null, 2));
console.log(`wrote ${train.size} training and ${test.size} test samples of shape [${train.sampleShape}] to ${out}`);
