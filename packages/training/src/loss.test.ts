import { float32, GraphBuilder } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import { describe, expect, it } from 'vitest';
import { addCorrectCount, addLoss, type LossKind } from './loss.js';

const LOGITS = [2, -1, 0.5, 0.3, 0.1, -2, 1, 1, 0];
const LABELS = [0, 1, 1];

async function evaluate(kind: LossKind) {
  const b = new GraphBuilder();
  const z = b.input('z', 'float32', ['N', 3]);
  const y = b.input('y', 'float32', ['N', 3]);
  const { perSample, mean } = addLoss(b, z, y, kind, { perSample: 'per', mean: 'mean' });
  b.output(perSample);
  b.output(mean);
  b.output(addCorrectCount(b, z, y));
  const targets = LABELS.flatMap((k) => [0, 1, 2].map((c) => (c === k ? 1 : 0)));
  return runOnce(createReferenceBackend(), b.build(), { z: float32([3, 3], LOGITS), y: float32([3, 3], targets) });
}

describe('losses and correct count', () => {
  it('cross-entropy is −log softmax of the true class', async () => {
    const out = await evaluate('cross-entropy');
    const expected = LABELS.map((k, i) => {
      const row = LOGITS.slice(3 * i, 3 * i + 3);
      return Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[k];
    });
    // Logits are rounded to float32 when fed: 1e-7 relative.
    expectClose(out.per, expected, { atol: 1e-7, rtol: 1e-7 }, 'per-sample cross-entropy');
    expectClose(out.mean, [expected.reduce((a, b) => a + b) / 3], { atol: 1e-7, rtol: 1e-7 }, 'mean cross-entropy');
  });

  it('mse is (1/K)‖z − y‖² per sample (torch MSELoss mean over all elements)', async () => {
    const out = await evaluate('mse');
    const expected = LABELS.map((k, i) => LOGITS.slice(3 * i, 3 * i + 3).reduce((s, v, c) => s + (v - (c === k ? 1 : 0)) ** 2, 0) / 3);
    expectClose(out.per, expected, { atol: 1e-7, rtol: 1e-7 }, 'per-sample mse');
  });

  it('counts a sample as correct only when its class has the strictly largest logit', async () => {
    // Row 0: class 0 wins; row 1: class 0 wins over the true class 1; row 2: the true class 1 ties with class 0.
    expect(Number((await evaluate('cross-entropy')).correct.data[0])).toBe(1);
  });
});
