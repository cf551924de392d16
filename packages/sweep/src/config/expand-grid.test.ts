import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { expandGrid } from './expand-grid.js';
import { parseSweepConfig } from './parse-sweep-config.js';
import { SweepConfigError } from './sweep-config-error.js';
import { trialKey } from './trial-key.js';
import { axisValues } from './axis-values.js';
import { checkpointEpochs } from './checkpoint-epochs.js';

const demo = readFileSync(new URL('./__fixtures__/demo.yaml', import.meta.url), 'utf8');

describe('axisValues', () => {
  it('spaces logspace values evenly in log10 and rounds away float noise', () => {
    expect(axisValues({ logspace: { from: -5, to: -2, count: 4 }, includeZero: true })).toEqual([0, 1e-5, 1e-4, 1e-3, 1e-2]);
    const half = axisValues({ logspace: { from: -4, to: -3, count: 3 } }) as number[];
    expect(half[1]).toBeCloseTo(10 ** -3.5, 15);
    expect(axisValues({ linspace: { from: 0, to: 1, count: 5 } })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(axisValues({ logspace: { from: -3, to: 0, count: 1 } })).toEqual([0.001]);
  });
});

describe('expandGrid', () => {
  it('takes the cartesian product, last axis fastest, with every trial fully resolved', () => {
    const trials = expandGrid(parseSweepConfig(demo));
    expect(trials).toHaveLength(5 * 2 * 2);
    expect(trials.map((t) => t.index)).toEqual([...trials.keys()]);
    expect(trials[0].axes).toEqual({ weightDecay: 0, seed: 0, 'model.hidden': [64] });
    expect(trials[1].axes).toEqual({ weightDecay: 0, seed: 0, 'model.hidden': [64, 64] });
    expect(trials[2].axes).toEqual({ weightDecay: 0, seed: 1, 'model.hidden': [64] });
    expect(trials[19].config).toEqual({
      dataset: { name: 'mnist', subsetPerClass: 1000 },
      model: { kind: 'mlp', hidden: [64, 64] },
      training: { epochs: 20, batchSize: 128, lr: 0.05, momentum: 0.9, schedule: 'cosine', weightDecay: 0.01 },
      analysis: { checkpoints: { every: 5 }, rankTolerance: 0.001, singularValues: false },
      seed: 1,
      backend: 'onnx',
    });
    expect(new Set(trials.map((t) => t.key)).size).toBe(20);
    for (const trial of trials) expect(trial.key).toBe(trialKey(trial.config));
  });

  it('gives the same keys whatever the key order of the file', () => {
    const reordered = demo.replace('  epochs: 20\n  batchSize: 128\n', '  batchSize: 128\n  epochs: 20\n');
    expect(reordered).not.toBe(demo);
    expect(expandGrid(parseSweepConfig(reordered)).map((t) => t.key)).toEqual(expandGrid(parseSweepConfig(demo)).map((t) => t.key));
  });

  it('keeps duplicate combinations once', () => {
    const trials = expandGrid(parseSweepConfig(demo.replace('seed: [0, 1]', 'seed: [0, 0]')));
    expect(trials).toHaveLength(10);
  });

  it('applies injected schemas per trial, with their defaults in the key', () => {
    const model = z.strictObject({ kind: z.literal('mlp'), hidden: z.array(z.int().min(1)).min(1), activation: z.enum(['relu', 'tanh']).default('relu') });
    const trials = expandGrid(parseSweepConfig(demo), { schemas: { model } });
    expect(trials[0].config.model).toEqual({ kind: 'mlp', hidden: [64], activation: 'relu' });
    const plain = expandGrid(parseSweepConfig(demo));
    expect(trials[0].key).not.toBe(plain[0].key);
  });

  it('points an injected-schema failure at the grid value that caused it, once for all trials', () => {
    const model = z.strictObject({ kind: z.literal('mlp'), hidden: z.array(z.int().min(1)).min(1) });
    const text = demo.replace('model.hidden: [[64], [64, 64]]', 'model.hidden: [[64], [64, 0]]');
    let error: SweepConfigError | undefined;
    try {
      expandGrid(parseSweepConfig(text, { file: 'demo.yaml' }), { schemas: { model } });
    } catch (caught) {
      error = caught as SweepConfigError;
    }
    expect(error).toBeInstanceOf(SweepConfigError);
    expect(error!.issues).toHaveLength(1);
    expect(error!.issues[0]).toMatchObject({ path: ['grid', 'model.hidden', 1, 1], value: 0, line: 19 });
    expect(error!.message).toContain('demo.yaml:19:');
    expect(error!.message).toContain('grid["model.hidden"][1][1]: expected an integer ≥ 1, got 0 [in the trial with weightDecay=0, seed=0, model.hidden=[64,0] and 9 more trials]');
  });

  it('points a base-field failure at the base field', () => {
    const model = z.looseObject({ kind: z.enum(['mlp', 'cnn']) });
    expect(() => expandGrid(parseSweepConfig(demo.replace('kind: mlp', 'kind: rnn'), { file: 'd.yaml' }), { schemas: { model } })).toThrow(
      /d\.yaml:6:3: model\.kind: expected one of "mlp", "cnn", got "rnn"/,
    );
  });

  it('re-validates values set by dotted axes against the base sections', () => {
    expect(() => expandGrid(parseSweepConfig(demo.replace('model.hidden: [[64], [64, 64]]', 'training.epochs: [10, 0]')))).toThrow(
      /grid\["training\.epochs"\]\[1\]: expected an integer ≥ 1, got 0/,
    );
  });
});

describe('trialKey', () => {
  it('is the sha256 of canonical JSON: key order and undefined fields do not matter, values do', () => {
    expect(trialKey({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe(trialKey({ a: [1, { d: 2 }], b: 1 }));
    expect(trialKey({ a: 1 })).not.toBe(trialKey({ a: 1.0000001 }));
    // sha256('{"a":1}') computed independently.
    expect(trialKey({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
    expect(() => trialKey({ a: Number.NaN })).toThrow(/\$\.a is NaN/);
  });
});

describe('checkpointEpochs', () => {
  it('expands every form', () => {
    expect(checkpointEpochs('final', 7)).toEqual([7]);
    expect(checkpointEpochs('every', 3)).toEqual([1, 2, 3]);
    expect(checkpointEpochs({ every: 3 }, 7)).toEqual([3, 6, 7]);
    expect(checkpointEpochs([5, 0, 9, 5], 7)).toEqual([0, 5]);
    expect(() => checkpointEpochs('final', 0)).toThrow(RangeError);
  });
});

describe('unknown fields at every depth', () => {
  it('says "did you mean" for a misspelled key inside injected schemas, strict or not, at any depth, with the full path', () => {
    // A plain z.object drops unknown keys silently: a typo there would do nothing without a word.
    const model = z.object({ kind: z.literal('mlp'), hidden: z.array(z.int()).optional(), init: z.object({ scheme: z.string(), gain: z.number() }).partial().optional() });
    const dataset = z.strictObject({ name: z.string(), subsetPerClass: z.int().optional() });
    const text = demo.replace('  hidden: [512, 512]', '  hidden: [512, 512]\n  init: { scheme: he, gian: 2 }').replace('name: mnist', 'name: mnist\n  subsetPerClas: 10');
    let error: SweepConfigError | undefined;
    try {
      expandGrid(parseSweepConfig(text, { file: 'demo.yaml' }), { schemas: { model, dataset } });
    } catch (caught) {
      error = caught as SweepConfigError;
    }
    expect(error?.message).toMatch(/demo\.yaml:\d+:\d+: dataset\.subsetPerClas: unknown field; did you mean "subsetPerClass"\?/);
    expect(error?.message).toMatch(/demo\.yaml:\d+:\d+: model\.init\.gian: unknown field; did you mean "gain"\? \(known fields here: scheme, gain\)/);
  });
});
