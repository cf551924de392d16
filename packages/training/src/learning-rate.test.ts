import { expectClose } from '@rank-collapse/backend/testing';
import { describe, expect, it } from 'vitest';
import { learningRate } from './learning-rate.js';
import { parseTrainOptions } from './train-options.js';

describe('learningRate', () => {
  const steps = 10;
  it('is constant by default', () => {
    const o = parseTrainOptions({ epochs: 3, lr: 0.1 });
    expect([0, 9, 29].map((s) => learningRate(o, s, steps))).toEqual([0.1, 0.1, 0.1]);
  });

  it('steps down by gamma every N epochs', () => {
    const o = parseTrainOptions({ epochs: 6, lr: 1, schedule: { kind: 'step', everyEpochs: 2, gamma: 0.5 } });
    expect([0, 19, 20, 39, 40, 59].map((s) => learningRate(o, s, steps))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
  });

  it('follows a cosine from lr to minLr after a linear warmup', () => {
    const o = parseTrainOptions({ epochs: 5, lr: 1, warmupEpochs: 1, schedule: { kind: 'cosine', minLr: 0.1 } });
    expectClose(learningRate(o, 0, steps), 0.1, { atol: 1e-15, rtol: 1e-15 }, 'learningRate(o, 0, steps)');
    expectClose(learningRate(o, 4, steps), 0.5, { atol: 1e-15, rtol: 1e-15 }, 'learningRate(o, 4, steps)');
    expectClose(learningRate(o, 10, steps), 1, { atol: 1e-15, rtol: 1e-15 }, 'learningRate(o, 10, steps)');
    // Halfway through the 40 cosine steps: (1 + 0.1)/2.
    expectClose(learningRate(o, 30, steps), 0.55, { atol: 1e-15, rtol: 1e-15 }, 'learningRate(o, 30, steps)');
    expectClose(learningRate(o, 50, steps), 0.1, { atol: 1e-15, rtol: 1e-15 }, 'learningRate(o, 50, steps)');
  });

  it('holds lr until startEpoch, then a cosine to minLr, then minLr for the last holdEpochs', () => {
    const o = parseTrainOptions({ epochs: 10, lr: 1, schedule: { kind: 'cosine', minLr: 0.2, startEpoch: 4, holdEpochs: 2 } });
    // The cosine runs over steps 40..80 (40 steps); closed form minLr + (lr − minLr)(1 + cos(πt/40))/2.
    expect([0, 39, 40].map((s) => learningRate(o, s, steps))).toEqual([1, 1, 1]);
    expectClose(learningRate(o, 50, steps), 0.2 + 0.8 * (1 + Math.cos(Math.PI / 4)) / 2, { atol: 1e-15, rtol: 1e-15 }, 'quarter');
    expectClose(learningRate(o, 60, steps), 0.6, { atol: 1e-15, rtol: 1e-15 }, 'half');
    expect([80, 90, 99].map((s) => learningRate(o, s, steps))).toEqual([0.2, 0.2, 0.2]);
    const plain = parseTrainOptions({ epochs: 10, lr: 1, schedule: { kind: 'cosine' } });
    // Unset, the new options leave the resolved schedule (and so sweep trial keys) as before them.
    expect(plain.schedule).toEqual({ kind: 'cosine', minLr: 0 });
    expect(learningRate(plain, 50, steps)).toBeCloseTo(0.5, 15);
  });

  it('rejects invalid options naming the field', () => {
    expect(() => parseTrainOptions({ epochs: 0, lr: 0.1 })).toThrow(/epochs/);
    expect(() => parseTrainOptions({ epochs: 1, lr: 0.1, schedule: { kind: 'exponential' } })).toThrow(/schedule/);
  });
});
