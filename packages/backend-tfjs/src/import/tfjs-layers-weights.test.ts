/**
 * model-files' TF.js Layers weight reader on files tfjs-layers itself saves (its own weight names and topology
 * for nested models and wrappers): every kernel equals tfjs's own weight, rearranged here with tf ops
 * (transpose, reshape, slice) into outputs × inputs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWeightFile, type WeightItem } from '@rank-collapse/model-files';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadTfjs } from '../load-tfjs.js';
import { saveLayersModel } from './__fixtures__/save-layers-model.js';

const { tf } = await loadTfjs({ prefer: ['cpu'] });
const dir = await mkdtemp(path.join(tmpdir(), 'tfjs-layers-weights-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

type Tensor = import('@tensorflow/tfjs-core').Tensor;
const values = (t: Tensor) => Array.from(t.dataSync());
/** The shape of a tfjs tensor as plain numbers (tfjs types some dims as possibly undefined). */
const dims = (t: Tensor) => t.shape as number[];
/** Keras [k…, in, out] as out × in·k… (tf ops only). */
const convRows = (k: Tensor) => tf.reshape(tf.transpose(k, [k.rank - 1, k.rank - 2, ...Array.from({ length: k.rank - 2 }, (_, i) => i)]), [dims(k)[k.rank - 1], -1]);
const depthwiseRows = (k: Tensor) => tf.reshape(tf.transpose(k, [2, 3, 0, 1]), [dims(k)[2] * dims(k)[3], -1]);
const transposeRows = (k: Tensor) => tf.reshape(tf.transpose(k, [2, 0, 1, 3]), [-1, dims(k)[3]]);
const gate = (k: Tensor, g: number, n: number) => tf.transpose(tf.slice(k, [0, (g * dims(k)[1]) / n], [dims(k)[0], dims(k)[1] / n]));

async function read(name: string, model: tfl.LayersModel): Promise<Map<string, WeightItem>> {
  tf.setBackend('cpu');
  const file = await saveLayersModel(tf, model, path.join(dir, name));
  const opened = await openWeightFile(file);
  expect(opened.format).toBe('tfjs-layers');
  const items = new Map<string, WeightItem>();
  for await (const item of opened.items()) items.set(item.name, item);
  return items;
}

function expectMatrix(items: Map<string, WeightItem>, name: string, role: string, expected: Tensor): void {
  const item = items.get(name);
  if (item?.kind !== 'matrix') throw new Error(`${name}: ${item ? `skipped (${item.reason})` : 'missing'}; have ${[...items.keys()].join(', ')}`);
  expect([item.role, item.rows, item.cols], name).toEqual([role, ...expected.shape]);
  expect(Array.from(item.data), name).toEqual(values(expected));
}

describe('reading TF.js Layers files that tfjs-layers saves', () => {
  it('convolutions: Conv2D, DepthwiseConv2D, SeparableConv2D (two kernels), Conv2DTranspose, BatchNormalization skipped', async () => {
    const m = tfl.sequential();
    m.add(tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, name: 'c' }));
    m.add(tfl.layers.batchNormalization({ name: 'bn' }));
    m.add(tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'dw' }));
    m.add(tfl.layers.separableConv2d({ filters: 5, kernelSize: 2, depthMultiplier: 1, name: 'sep' }));
    m.add(tfl.layers.conv2dTranspose({ filters: 3, kernelSize: 2, name: 'up' }));
    m.add(tfl.layers.flatten());
    m.add(tfl.layers.dense({ units: 6, name: 'fc' }));
    const items = await read('conv', m);
    const w = (layer: string) => m.getLayer(layer).getWeights();
    expectMatrix(items, 'c', 'conv', convRows(w('c')[0]));
    expectMatrix(items, 'dw', 'conv', depthwiseRows(w('dw')[0]));
    expectMatrix(items, 'sep.depthwise', 'conv', depthwiseRows(w('sep')[0]));
    expectMatrix(items, 'sep.pointwise', 'conv', convRows(w('sep')[1]));
    expectMatrix(items, 'up', 'conv-transpose', transposeRows(w('up')[0]));
    expectMatrix(items, 'fc', 'dense', tf.transpose(w('fc')[0]));
    // In manifest order: tfjs-layers saves the trainable weights first, the moving statistics last.
    expect([...items.values()].filter((i) => i.kind === 'skipped').map((i) => i.name)).toEqual(['c/bias', 'bn/gamma', 'bn/beta', 'dw/bias', 'sep/bias', 'up/bias', 'fc/bias', 'bn/moving_mean', 'bn/moving_variance']);
  });

  it('sequences: Embedding, Bidirectional(LSTM) per direction and gate, TimeDistributed(Dense), GRU, a nested Sequential head', async () => {
    const head = tfl.sequential({ name: 'head' });
    head.add(tfl.layers.dense({ inputShape: [6], units: 3, activation: 'softmax', name: 'out' }));
    const m = tfl.sequential();
    m.add(tfl.layers.embedding({ inputDim: 11, outputDim: 4, inputLength: 5, name: 'emb' }));
    m.add(tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 3, returnSequences: true, recurrentInitializer: 'glorotUniform' }) as never, name: 'bi' }));
    m.add(tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 7 }), name: 'td' }));
    m.add(tfl.layers.gru({ units: 6, recurrentInitializer: 'glorotUniform', name: 'gru' }));
    m.add(head);
    const items = await read('sequence', m);
    const w = (layer: string) => m.getLayer(layer).getWeights();
    expectMatrix(items, 'emb', 'embedding', tf.transpose(w('emb')[0]));
    // Bidirectional weights: forward kernel, recurrent kernel, bias, then the same backward.
    const bi = w('bi');
    for (const [d, direction] of ['forward', 'backward'].entries()) {
      for (const [g, letter] of ['i', 'f', 'c', 'o'].entries()) {
        expectMatrix(items, `bi.${direction}.W.${letter}`, 'recurrent-input', gate(bi[3 * d], g, 4));
        expectMatrix(items, `bi.${direction}.R.${letter}`, 'recurrent-hidden', gate(bi[3 * d + 1], g, 4));
      }
    }
    expectMatrix(items, 'td', 'dense', tf.transpose(w('td')[0]));
    for (const [g, letter] of ['z', 'r', 'h'].entries()) {
      expectMatrix(items, `gru.W.${letter}`, 'recurrent-input', gate(w('gru')[0], g, 3));
      expectMatrix(items, `gru.R.${letter}`, 'recurrent-hidden', gate(w('gru')[1], g, 3));
    }
    expectMatrix(items, 'out', 'dense', tf.transpose(head.getLayer('out').getWeights()[0]));
    const opened = await openWeightFile(path.join(dir, 'sequence', 'model.json'));
    // The classifier's K through the nested head model.
    expect(opened.outputWidth).toBe(3);
    expect(opened.producer).toMatch(/^TensorFlow\.js tfjs-layers v4\.22\.0$/);
  });
});
