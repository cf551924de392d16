import { describe, expect, it } from 'vitest';
import { ModelConfigError } from './model-config-error.js';
import { parseModelConfig } from './model-config.js';

describe('parseModelConfig', () => {
  it('fills in defaults', () => {
    const config = parseModelConfig({ kind: 'mlp', inputShape: [784], numClasses: 10, hidden: [512] });
    expect(config).toEqual({ kind: 'mlp', inputShape: [784], numClasses: 10, hidden: [512], activation: 'relu', bias: true });
    const resnet = parseModelConfig({ kind: 'resnet', inputShape: [1, 28, 28], numClasses: 10, stages: [{ channels: 8 }] });
    expect(resnet).toMatchObject({ stem: 16, batchNorm: true, stages: [{ channels: 8, blocks: 1, stride: 1 }] });
  });

  it('names the offending field and what was expected', () => {
    expect(() => parseModelConfig({ kind: 'mlp', inputShape: [784], numClasses: 10, hidden: [512, -3] })).toThrow(ModelConfigError);
    expect(() => parseModelConfig({ kind: 'mlp', inputShape: [784], numClasses: 10, hidden: [512, -3] })).toThrow(/hidden\.1: /);
    expect(() => parseModelConfig({ kind: 'cnn', inputShape: [784], numClasses: 10, blocks: [{ channels: [4] }] })).toThrow(/inputShape: must be \[channels, height, width\]/);
    expect(() => parseModelConfig({ kind: 'mlp', inputShape: [784], numClasses: 10, hidden: [], activation: 'gelu' })).toThrow(/activation/);
    expect(() => parseModelConfig({ kind: 'transformer' })).toThrow(/kind/);
  });
});
