/**
 * The forward-only analysis of real PyTorch exports (a vision transformer, a CNN with batch norm, hard-swish,
 * squeeze-excitation, residual adds and nearest upsampling ending in Softmax, an LSTM over image rows, an MLP
 * ending in Softmax), run as they are by onnxruntime, against float64 PyTorch numbers computed by
 * scripts/train-export-models.py on the first 2000 MNIST test images.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createModelRunner, loadOrt } from '@rank-collapse/backend-onnx';
import { loadDataset, type Dataset } from '@rank-collapse/datasets';
import { openWeightFile } from '@rank-collapse/model-files';
import { describe, expect, it } from 'vitest';
import { analyzeForward } from './forward-analysis.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/real-models/${name}`, import.meta.url));

interface Reference {
  samples: number;
  softmaxOutput: boolean;
  accuracy: number;
  loss: number;
  classifierNode: string;
  classifierInput: { nc1: number; tcv: number; traceRatio: number; dim: number };
}

/** The first `count` samples of a split, in file order. */
function firstSamples(data: Dataset, count: number): Dataset {
  const size = data.sampleShape.reduce((p, d) => p * d, 1);
  return { ...data, x: data.x.subarray(0, count * size), y: data.y.subarray(0, count), size: count };
}

describe.each(['vit', 'cnn', 'lstm', 'mlp-softmax'])('analyzeForward on %s.onnx', (name) => {
  it('matches float64 PyTorch: accuracy, loss of the logits, classifier-input NC1; lists every weight matrix', { timeout: 120_000 }, async () => {
    const reference = JSON.parse(readFileSync(fixture(`${name}.json`), 'utf8')) as Reference;
    const file = fixture(`${name}.onnx`);
    const runner = await createModelRunner({ ort: await loadOrt(), model: file, intraOpThreads: 2 });
    const data = firstSamples(loadDataset({ name: 'mnist' }).test, reference.samples);
    const result = await analyzeForward({ runner, weights: await openWeightFile(file), data, model: name, batchSize: 500 });
    await runner.dispose();
    expect(Math.abs(result.accuracy - reference.accuracy)).toBeLessThanOrEqual(0.001);
    expect(result.loss).toBeCloseTo(reference.loss, 4);
    expect(result.logits.normalizedBy).toBe(reference.softmaxOutput ? 'Softmax' : null);
    const listed = [];
    for await (const item of (await openWeightFile(file)).items()) if (item.kind === 'matrix') listed.push(item.name);
    expect(result.rows.map((r) => r.layer)).toEqual(listed);
    const head = result.rows.find((r) => r.layer === reference.classifierNode)!;
    expect(Math.abs(head.inputNc1! / reference.classifierInput.nc1 - 1)).toBeLessThan(0.01);
    expect(Math.abs(head.inputTraceRatio! / reference.classifierInput.traceRatio - 1)).toBeLessThan(0.01);
    expect(Math.abs(head.inputTcv! / reference.classifierInput.tcv - 1)).toBeLessThan(0.01);
    expect(head.nc4).not.toBeNull();
    // Every layer whose input can be read has collapse metrics; δ and the certificate need a backward pass.
    const sources = result.sources;
    result.rows.forEach((row, i) => {
      expect(row.deltaNc1).toBeNull();
      expect(row.normE).toBeNull();
      if (sources[i].inputValue !== null) expect(row.inputTcv).toBeGreaterThan(0);
    });
  });
});
