/**
 * Importing tfjs-layers models: the IR graph run on the float64 reference backend must give tfjs's
 * `model.predict` outputs; unsupported layers and damaged shards give one clear ModelFileError.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError, createRng, requireCapability, type HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import * as tfl from '@tensorflow/tfjs-layers';
import { createTfjsBackend } from '../create-tfjs-backend.js';
import { loadTfjs } from '../load-tfjs.js';
import { saveLayersModel } from './__fixtures__/save-layers-model.js';

const { tf } = await loadTfjs({ prefer: ['cpu'] });
const backend = createTfjsBackend({ tf });
const importer = requireCapability(backend, 'importer');
const oracle = createReferenceBackend();
const dir = await mkdtemp(path.join(tmpdir(), 'tfjs-import-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

function randomInput(shape: number[], seed: string): HostTensor {
  const rng = createRng(seed);
  return { dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => rng.normal()) };
}

/** Saves, imports, and compares the IR (reference backend and tfjs backend) with model.predict. */
async function roundTrip(name: string, model: tfl.LayersModel, inputShape: number[]) {
  tf.setBackend('cpu');
  const file = await saveLayersModel(tf, model, path.join(dir, name));
  const imported = await importer.importModel(file);
  const x = randomInput(inputShape, `import/${name}`);
  const predicted = model.predict(tf.tensor(x.data as Float32Array, inputShape)) as import('@tensorflow/tfjs-core').Tensor;
  const expected = { dtype: 'float32' as const, shape: predicted.shape, data: predicted.dataSync() as Float32Array };
  predicted.dispose();
  const feeds = { x, ...Object.fromEntries(imported.params) };
  const output = imported.graph.outputs[0];
  expectClose((await runOnce(oracle, imported.graph, feeds))[output], expected, { atol: 1e-5, rtol: 1e-4 }, `${name}: reference run of the import vs model.predict`);
  expectClose((await runOnce(backend, imported.graph, feeds))[output], expected, { atol: 1e-5, rtol: 1e-4 }, `${name}: tfjs run of the import vs model.predict`);
  return { imported, file };
}

describe('importing TensorFlow.js Layers models', () => {
  it('Dense layers with activations and dropout', async () => {
    const m = tfl.sequential();
    m.add(tfl.layers.dense({ inputShape: [12], units: 8, activation: 'relu', name: 'hidden' }));
    m.add(tfl.layers.dropout({ rate: 0.5 }));
    m.add(tfl.layers.dense({ units: 6, activation: 'tanh' }));
    m.add(tfl.layers.dense({ units: 5, useBias: false }));
    m.add(tfl.layers.activation({ activation: 'sigmoid' }));
    m.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
    const { imported } = await roundTrip('dense', m, [4, 12]);
    expect(imported.graph.params.map((p) => `${p.name}:${p.role}`)).toContain('hidden.weight:weight');
    expect(imported.params.get('hidden.weight')!.shape).toEqual([8, 12]);
    expect(imported.source.format).toBe('tfjs layers-model');
  });

  it('a CNN: Conv2D (same and valid, strides, dilation), pools, Flatten in NHWC order, Dense', async () => {
    const m = tfl.sequential();
    m.add(tfl.layers.conv2d({ inputShape: [9, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
    m.add(tfl.layers.conv2d({ filters: 5, kernelSize: [2, 3], strides: [1, 2], padding: 'valid' }));
    m.add(tfl.layers.conv2d({ filters: 3, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'tanh' }));
    m.add(tfl.layers.averagePooling2d({ poolSize: [2, 1], strides: 1, padding: 'same' }));
    m.add(tfl.layers.flatten());
    m.add(tfl.layers.dense({ units: 4, activation: 'softmax' }));
    const { imported } = await roundTrip('cnn', m, [3, 9, 8, 2]);
    expect(imported.graph.inputs[0].shape).toEqual(['N', 9, 8, 2]);
    expect(imported.params.get(`${m.layers[0].name}.weight`)!.shape).toEqual([4, 2, 3, 3]);
    // One transpose into NCHW before the first conv, one back before Flatten.
    expect(imported.graph.nodes.filter((n) => n.op === 'Transpose')).toHaveLength(2);
  });

  it('a softmax activation on a conv output runs over channels, and a 4-D output is returned channels-last', async () => {
    const m = tfl.sequential();
    m.add(tfl.layers.conv2d({ inputShape: [5, 5, 3], filters: 4, kernelSize: 3, padding: 'same' }));
    m.add(tfl.layers.activation({ activation: 'softmax' }));
    await roundTrip('conv-softmax', m, [2, 5, 5, 3]);
  });

  it('a Keras functional model as tfjs-converter writes it (model_config wrapper, InputLayer, scoped weight names)', async () => {
    const layer = (className: string, name: string, config: object, inbound?: string) => ({
      class_name: className,
      name,
      config: { name, ...config },
      inbound_nodes: inbound ? [[[inbound, 0, 0, {}]]] : [],
    });
    const modelConfig = {
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          layer('InputLayer', 'input_1', { batch_input_shape: [null, 6, 6, 1], dtype: 'float32' }),
          layer('Conv2D', 'conv2d', { filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'relu', use_bias: true }, 'input_1'),
          layer('Flatten', 'flatten', { data_format: 'channels_last' }, 'conv2d'),
          layer('Dense', 'dense', { units: 3, activation: 'softmax', use_bias: true }, 'flatten'),
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['dense', 0, 0]],
      },
    };
    const weightSpecs = [
      { name: 'model/conv2d/kernel:0', shape: [3, 3, 1, 2], dtype: 'float32' },
      { name: 'model/conv2d/bias:0', shape: [2], dtype: 'float32' },
      { name: 'model/dense/kernel:0', shape: [32, 3], dtype: 'float32' },
      { name: 'model/dense/bias:0', shape: [3], dtype: 'float32' },
    ];
    const weights = randomInput([18 + 2 + 96 + 3], 'import/keras-weights').data as Float32Array;
    const folder = path.join(dir, 'keras');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'weights.bin'), new Uint8Array(weights.buffer));
    const modelTopology = { keras_version: '2.4.0', backend: 'tensorflow', model_config: modelConfig };
    const file = path.join(folder, 'model.json');
    await writeFile(file, JSON.stringify({ format: 'layers-model', modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] }));
    const imported = await importer.importModel(file);
    // tfjs-layers itself reading the same topology and weights is the expected behaviour.
    const tfjsSpecs = weightSpecs.map((w) => ({ ...w, name: w.name.replace(/^model\//, '').replace(/:0$/, '') })) as never;
    const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: modelConfig as never, weightSpecs: tfjsSpecs, weightData: weights.slice().buffer }));
    const x = randomInput([2, 6, 6, 1], 'import/keras-x');
    const predicted = model.predict(tf.tensor(x.data as Float32Array, x.shape as number[])) as import('@tensorflow/tfjs-core').Tensor;
    const expected = { dtype: 'float32' as const, shape: predicted.shape, data: predicted.dataSync() as Float32Array };
    const actual = (await runOnce(oracle, imported.graph, { x, ...Object.fromEntries(imported.params) }))[imported.graph.outputs[0]];
    expectClose(actual, expected, { atol: 1e-5, rtol: 1e-4 }, 'keras functional import vs tfjs-layers');
    expect(imported.graph.outputs).toEqual(['dense']);
  });

  it('lists every unsupported layer in one error', async () => {
    const m = tfl.sequential();
    m.add(tfl.layers.dense({ inputShape: [4], units: 3 }));
    m.add(tfl.layers.batchNormalization({ name: 'bn' }));
    m.add(tfl.layers.dense({ units: 2, activation: 'elu', name: 'out' }));
    m.add(tfl.layers.reshape({ targetShape: [2, 1], name: 'r' }));
    const file = await saveLayersModel(tf, m, path.join(dir, 'unsupported'));
    const error = await importer.importModel(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toBe(`${file}: unsupported layers: BatchNormalization "bn", Dense "out" (activation elu), Reshape "r"`);
  });

  it('names the weight when a shard is too short, and the group when it is too long', async () => {
    const m = tfl.sequential();
    m.add(tfl.layers.dense({ inputShape: [4], units: 3, name: 'first' }));
    m.add(tfl.layers.dense({ units: 2, name: 'second' }));
    const file = await saveLayersModel(tf, m, path.join(dir, 'shards'));
    const shard = path.join(dir, 'shards', 'group1-shard1of1.bin');
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, bytes.length - 4));
    await expect(importer.importModel(file)).rejects.toThrow(/weight "second\/bias" \[2\] needs bytes 84–92 of group 0 \(group1-shard1of1\.bin\), but the shards hold 88 bytes/);
    await writeFile(shard, Buffer.concat([bytes, Buffer.alloc(8)]));
    await expect(importer.importModel(file)).rejects.toThrow(/holds 100 bytes but its weights, ending with "second\/bias", take 92/);
    await rm(shard);
    await expect(importer.importModel(file)).rejects.toThrow(ModelFileError);
  });

  it('rejects files that are not Layers models', async () => {
    const file = path.join(dir, 'not-a-model.json');
    await writeFile(file, JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }));
    await expect(importer.importModel(file)).rejects.toThrow(/model class "" is not Sequential/);
    await expect(importer.importModel(path.join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: cannot be read/);
  });
});
