import { describe, expect, it } from 'vitest';
import { loadCliSweep } from '../trial/load-sweep.js';
import { trialDatasetSchema, trialTrainingSchema } from '../trial/sweep-schemas.js';
import { listPresets, presetFile } from './presets.js';

describe('presets', () => {
  it('ships demo, paper-mlp and paper-cnn, each with a description', () => {
    const presets = listPresets();
    expect(presets.map((p) => p.name)).toEqual(['demo', 'paper-cnn', 'paper-mlp']);
    for (const preset of presets) expect(preset.description.length).toBeGreaterThan(40);
  });

  it('every preset is a valid sweep file', async () => {
    for (const preset of listPresets()) {
      const sweep = await loadCliSweep(preset.file);
      expect(sweep.trials.length, preset.name).toBeGreaterThan(0);
      expect(new Set(sweep.trials.map((t) => t.key)).size, preset.name).toBe(sweep.trials.length);
    }
  });

  it('demo: an MLP on a balanced 10k MNIST subset, six λ from 0 to 1e-2', async () => {
    const sweep = await loadCliSweep(presetFile('demo'));
    const lambdas = sweep.trials.map((t) => trialTrainingSchema.parse(t.config.training).weightDecay);
    expect(lambdas.length).toBe(6);
    expect(lambdas[0]).toBe(0);
    expect(Math.max(...lambdas)).toBeCloseTo(1e-2, 12);
    const dataset = trialDatasetSchema.parse(sweep.trials[0].config.dataset);
    expect(dataset).toMatchObject({ name: 'mnist', subsetPerClass: 1000 });
    expect(sweep.trials[0].config.model).toMatchObject({ kind: 'mlp', inputShape: [784], numClasses: 10 });
  });

  it('paper-mlp: full MNIST, 8 λ values × 3 seeds; paper-cnn: CNN and ResNet on Fashion-MNIST', async () => {
    const mlp = await loadCliSweep(presetFile('paper-mlp'));
    expect(mlp.trials.length).toBe(24);
    expect(trialDatasetSchema.parse(mlp.trials[0].config.dataset).subsetPerClass).toBeUndefined();
    const cnn = await loadCliSweep(presetFile('paper-cnn'));
    expect(new Set(cnn.trials.map((t) => t.config.model.kind))).toEqual(new Set(['cnn', 'resnet']));
    expect(cnn.trials[0].config.dataset.name).toBe('fashion-mnist');
  });
});
