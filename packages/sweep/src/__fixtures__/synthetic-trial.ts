/**
 * A small, deterministic trial function for tests: a 4-parameter "network" decays with weight decay and takes
 * seeded noise steps. It records epochs, layer rows with singular values at the analysis checkpoints, and a
 * checkpoint after every epoch, and resumes from one exactly. Behaviour knobs come from the model section:
 * `model.throwAtEpoch` throws, `model.divergeAtEpoch` reports NaN divergence, `model.killProcessAtEpoch` kills
 * its own process with SIGKILL (on the first attempt only, unless `model.killEveryAttempt`).
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRng } from '@rank-collapse/backend';
import { checkpointEpochs } from '../config/checkpoint-epochs.js';
import type { TrialFunction } from '../trial/trial-types.js';

export interface SyntheticTrialOptions {
  /** Wall time per epoch in ms (to give kill tests something to interrupt). */
  epochMs?: number;
  /** File to append `key attempt resumeEpoch pid` to at every start. */
  journal?: string;
}

const PARAMETERS = 4;

/** One epoch of the synthetic dynamics, shared with tests as the independent reference. */
export function syntheticStep(w: Float64Array, seed: number, epoch: number, lr: number, weightDecay: number): void {
  const rng = createRng(`${seed}:${epoch}`);
  for (let i = 0; i < w.length; i++) w[i] = w[i] * (1 - lr * weightDecay) + lr * rng.normal();
}

export function syntheticInit(seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: PARAMETERS }, () => rng.normal());
}

/** Factory in the shape worker processes expect. */
export function createSyntheticTrial(info: { options?: unknown } = {}): TrialFunction {
  const options = (info.options ?? {}) as SyntheticTrialOptions;
  return async (context) => {
    const { config } = context;
    const { epochs, lr, weightDecay } = config.training;
    if (options.journal) appendFileSync(options.journal, `${context.key} ${context.attempt} ${context.resumeFrom?.epoch ?? -1} ${process.pid}\n`);
    let w = syntheticInit(config.seed);
    let first = 1;
    if (context.resumeFrom?.data) {
      w = new Float64Array(context.resumeFrom.data.slice().buffer);
      first = context.resumeFrom.epoch + 1;
    }
    const analyzed = new Set(checkpointEpochs(config.analysis.checkpoints, epochs));
    for (let epoch = first; epoch <= epochs; epoch++) {
      if (context.signal.aborted) return { status: 'aborted' };
      if (options.epochMs) await sleep(options.epochMs);
      if (config.model.killProcessAtEpoch === epoch && (context.attempt === 1 || config.model.killEveryAttempt)) process.kill(process.pid, 'SIGKILL');
      if (config.model.throwAtEpoch === epoch) throw new Error(`synthetic failure at epoch ${epoch}`);
      syntheticStep(w, config.seed, epoch, lr, weightDecay);
      const loss = config.model.divergeAtEpoch === epoch ? Number.NaN : w.reduce((sum, v) => sum + v * v, 0);
      await context.recordEpoch({ epoch, trainLoss: loss, trainAccuracy: 1 / (1 + loss), note: 'synthetic' });
      context.progress({ epoch, epochs, metrics: { loss } });
      if (Number.isNaN(loss)) return { status: 'diverged', epoch, reason: 'loss is NaN' };
      if (analyzed.has(epoch)) {
        const rows = [0, 1].map((index) => {
          const block = w.slice(index * 2, index * 2 + 2);
          const singularValues = [...block].map(Math.abs).sort((a, b) => b - a);
          return { index, layer: `dense${index}`, frobenius: Math.hypot(...block), kind: 'dense' as const, singularValues };
        });
        await context.recordLayers(epoch, rows);
      }
      await context.saveCheckpoint({ epoch, data: new Uint8Array(w.slice().buffer) });
    }
    return { status: 'done' };
  };
}
