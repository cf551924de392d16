/**
 * Bookkeeping shared by the reporters: which trials run, how far each is, and the sweep's ETA
 * (elapsed time / work done this run × work left, counting a running trial by its fraction of epochs).
 */
import type { TrialSpec } from '../config/expand-grid.js';
import type { TrialProgress } from '../trial/trial-types.js';

export class SweepProgress {
  total = 0;
  /** Finished in the store before this run. */
  skipped = 0;
  /** Finished during this run. */
  finished = 0;
  readonly running = new Map<string, { trial: TrialSpec; fraction: number; progress?: TrialProgress }>();
  private startedAt = 0;

  constructor(private readonly now: () => number) {}

  start(total: number, skipped: number): void {
    this.total = total;
    this.skipped = skipped;
    this.startedAt = this.now();
  }

  trialStarted(trial: TrialSpec, resumeFraction = 0): void {
    this.running.set(trial.key, { trial, fraction: resumeFraction });
  }

  trialProgress(trial: TrialSpec, progress: TrialProgress): number {
    const entry = this.running.get(trial.key) ?? { trial, fraction: 0 };
    entry.progress = progress;
    if (progress.epochs) entry.fraction = Math.min(1, progress.epoch / progress.epochs);
    this.running.set(trial.key, entry);
    return entry.fraction;
  }

  trialFinished(trial: TrialSpec): void {
    this.running.delete(trial.key);
    this.finished += 1;
  }

  /** Trials done this run plus the fractions of the running ones. */
  get done(): number {
    let partial = 0;
    for (const entry of this.running.values()) partial += entry.fraction;
    return this.finished + partial;
  }

  /** Work of this run: trials not finished before it. */
  get todo(): number {
    return this.total - this.skipped;
  }

  /** Estimated ms until the sweep ends, or undefined before any progress. */
  etaMs(): number | undefined {
    const done = this.done;
    if (done <= 0) return undefined;
    return ((this.now() - this.startedAt) / done) * Math.max(0, this.todo - done);
  }

  elapsedMs(): number {
    return this.now() - this.startedAt;
  }
}

/** `weightDecay=0.001 seed=1`: a trial's grid values, for labels. */
export function trialLabel(trial: TrialSpec): string {
  const parts = Object.entries(trial.axes).map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return parts.length > 0 ? parts.join(' ') : trial.key.slice(0, 12);
}
