import type { SweepStore } from '@rank-collapse/sweep';

/** One line of the table `sweep` prints at the end (and its JSON form). */
export interface TrialSummary {
  index: number;
  key: string;
  axes: Record<string, unknown>;
  status: string;
  /** Epochs completed. */
  epochs: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  /** Mean over layers of the last analysis: numerical rank, and of τ_K/‖W‖_F. */
  ranks: number[] | null;
  durationMs: number | null;
  error: string | null;
}

/** Reads the summary of every trial of a sweep from the store, in grid order. */
export function trialSummaries(store: SweepStore, sweep: string): TrialSummary[] {
  return store
    .listTrials({ sweep })
    .sort((a, b) => a.index - b.index)
    .map((trial) => {
      const epochs = store.epochs(trial.key);
      const last = epochs[epochs.length - 1];
      const layers = store.layers(trial.key);
      const lastEpoch = layers.length > 0 ? Math.max(...layers.map((l) => l.epoch)) : undefined;
      const ranks = lastEpoch === undefined ? null : layers.filter((l) => l.epoch === lastEpoch).map((l) => Number(l.numericalRank));
      const number = (v: unknown): number | null => (typeof v === 'number' ? v : null);
      return {
        index: trial.index,
        key: trial.key,
        axes: trial.axes,
        status: trial.status,
        epochs: last?.epoch ?? 0,
        trainAccuracy: number(last?.trainAccuracy),
        testAccuracy: number(last?.testAccuracy),
        ranks,
        durationMs: trial.durationMs,
        error: trial.error,
      };
    });
}
