/**
 * `analyze --data` and `compress --max-accuracy-drop` on real PyTorch exports (packages/analysis/scripts/
 * train-export-models.py): a vision transformer, a CNN with batch norm, hard-swish, squeeze-excitation, residual
 * adds and nearest upsampling ending in Softmax, an LSTM over image rows, and an MLP ending in Softmax that
 * the IR imports. Numbers are checked against the float64 PyTorch references written beside the files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { encodeModel, ONNX_DTYPE } from '@rank-collapse/model-files/onnx';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../__fixtures__/run-captured.js';
import type { AnalysisJson } from '../format/analysis-json.js';
import type { CompressionJson } from './compress-command.js';

const models = fileURLToPath(new URL('../../../../packages/analysis/src/__fixtures__/real-models/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rank-collapse-real-'));
const subset = ['--data', 'mnist', '--split', 'test', '--first', '2000'];

interface Reference {
  accuracy: number;
  loss: number;
  softmaxOutput: boolean;
  classifierNode: string;
  classifierInput: { nc1: number };
}

/** x [N, 784] · W [784, 10] · scale [1]: a model with two inputs (encoded here with the project's protobuf writer). */
function twoInputs(): string {
  const file = join(dir, 'two-inputs.onnx');
  const w = new Float32Array(7840).map((_, i) => Math.sin(i));
  const value = (name: string, dims: (number | string)[]) => ({ name, type: { tensorType: { elemType: ONNX_DTYPE.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });
  const bytes = encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'two-inputs',
      node: [
        { opType: 'MatMul', name: 'fc', input: ['x', 'w'], output: ['z'] },
        { opType: 'Mul', name: 'scaled', input: ['z', 'scale'], output: ['logits'] },
      ],
      initializer: [{ name: 'w', dims: [784, 10], dataType: ONNX_DTYPE.FLOAT, rawData: new Uint8Array(w.buffer) }],
      input: [value('x', ['N', 784]), value('scale', [1])],
      output: [value('logits', ['N', 10])],
    },
  });
  writeFileSync(file, bytes);
  return file;
}

const reference = (name: string): Reference => JSON.parse(readFileSync(join(models, `${name}.json`), 'utf8')) as Reference;

async function analyzeJson(file: string): Promise<{ doc: AnalysisJson; stderr: string }> {
  const { code, stdout, stderr } = await runCaptured(['analyze', file, ...subset, '--json', '--backend', 'onnx']);
  expect(code, stderr).toBe(0);
  return { doc: JSON.parse(stdout) as AnalysisJson, stderr };
}

describe.each([
  ['vit', 'forward-only'],
  ['cnn', 'forward-only'],
  ['lstm', 'forward-only'],
  ['mlp-softmax', 'full'],
] as const)('%s.onnx', (name, level) => {
  const file = join(models, `${name}.onnx`);
  it(`analyze --data runs the ${level} analysis: accuracy, loss on the logits and classifier-input NC1 as float64 PyTorch`, { timeout: 120_000 }, async () => {
    const ref = reference(name);
    const { doc, stderr } = await analyzeJson(file);
    expect(doc.analysis).toBe(level);
    expect(stderr).toContain(`note: analysis: ${level}`);
    if (level === 'forward-only') expect(doc.reason).toMatch(/IR importer cannot read it/);
    expect(Math.abs(doc.accuracy! - ref.accuracy)).toBeLessThanOrEqual(0.001);
    expect(doc.loss).toBeCloseTo(ref.loss, 4);
    expect(doc.logits?.normalizedBy ?? null).toBe(ref.softmaxOutput ? 'Softmax' : null);
    const weights = await runCaptured(['analyze', file, '--weights-only', '--json']);
    const listed = (JSON.parse(weights.stdout) as AnalysisJson).layers;
    // The IR names layers after its own graph (net.fc1); the forward-only rows carry the file's node names.
    if (level === 'full') expect(doc.layers.map((l) => l.shape)).toEqual(listed.map((l) => l.shape));
    else expect(doc.layers.map((l) => l.layer)).toEqual(listed.map((l) => l.layer));
    const head = doc.layers.find((l) => l.layer === ref.classifierNode || l.layer === ref.classifierNode.replace(/^\/net\//, 'net.').replace(/\/Gemm$/, ''));
    expect(head, doc.layers.map((l) => l.layer).join(', ')).toBeDefined();
    expect(Math.abs(head!.metrics.inputNc1! / ref.classifierInput.nc1 - 1)).toBeLessThan(0.01);
  });

  it('compress --max-accuracy-drop 0.005 writes a smaller file onnxruntime runs, within the budget when analyzed again', { timeout: 300_000 }, async () => {
    const out = join(dir, `${name}-small.onnx`);
    const { code, stdout, stderr } = await runCaptured(['compress', file, '--max-accuracy-drop', '0.005', ...subset, '--out', out, '--json']);
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout) as CompressionJson;
    expect(doc.method).toBe('graph-surgery');
    if (name === 'lstm') {
      // LSTM gates are not factorized by the surgery (only MatMul/Gemm/Conv), and the 10×64 head cannot lose
      // rank within the budget: the file is rewritten unchanged in size, and the table says why.
      expect(doc.paramsAfter).toBeLessThanOrEqual(doc.paramsBefore);
      expect(doc.layers.filter((l) => l.note?.includes('not a MatMul/Gemm/Conv')).length).toBe(8);
    } else expect(doc.paramsAfter).toBeLessThan(doc.paramsBefore);
    const before = await analyzeJson(file);
    const after = await analyzeJson(out);
    expect(before.doc.accuracy! - after.doc.accuracy!).toBeLessThanOrEqual(0.005);
    expect(after.doc.accuracy).toBeCloseTo(doc.accuracyAfter!, 10);
  });
});

describe('bad input', () => {
  it('a model whose input the data cannot feed says what it expects and how to set --preprocess', async () => {
    const { code, stderr } = await runCaptured(['analyze', join(models, 'vit.onnx'), '--data', 'mnist', '--split', 'test', '--first', '100', '--preprocess', 'layout=nhwc', '--backend', 'onnx']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/input "x" expects \[N, 1, 28, 28\]; the data's samples are \[1, 784, 1\]: same size, another layout: set --preprocess layout=/);
  });

  it('a model with several inputs names them and asks which one is the data', async () => {
    const { code, stderr } = await runCaptured(['analyze', twoInputs(), '--data', 'mnist', '--split', 'test', '--first', '10', '--backend', 'onnx']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/has 2 inputs \("x" \[N, 784\] float, "scale" \[1\] float\); say which one is the data with --input NAME/);
  });
});
