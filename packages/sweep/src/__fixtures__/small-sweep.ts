/** A small sweep over the synthetic trial, shared by tests (and the kill/resume script). */
import { expandGrid, type TrialSpec } from '../config/expand-grid.js';
import { parseSweepConfig } from '../config/parse-sweep-config.js';

export function smallSweepText(options: { epochs?: number; seeds?: number[]; extraModel?: string } = {}): string {
  return `
name: small
dataset: { name: synthetic }
model: { kind: synthetic${options.extraModel ?? ''} }
training: { epochs: ${options.epochs ?? 6}, batchSize: 8, lr: 0.1 }
grid:
  weightDecay: { logspace: { from: -2, to: -1, count: 2 }, includeZero: true }
  seed: [${(options.seeds ?? [1, 2]).join(', ')}]
analysis: { checkpoints: { every: 3 }, singularValues: true }
`;
}

export function smallSweep(options: Parameters<typeof smallSweepText>[0] = {}): { name: string; config: unknown; trials: TrialSpec[] } {
  const parsed = parseSweepConfig(smallSweepText(options));
  return { name: parsed.config.name, config: parsed.config, trials: expandGrid(parsed) };
}
