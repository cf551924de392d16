/**
 * Runs consecutive SGD steps a group at a time: the train-step graph unrolled `stepsPerRun` times, so params
 * and velocities stay inside the backend for the whole group and cross the runtime boundary once per group.
 * On onnxruntime-node that boundary copies every output into fresh JS memory; per step it cost about as much
 * as the step's kernels (see docs/performance.md).
 */
import { float32, isResident, stepValueName, unrollSteps, type Backend, type Executable, type Feed, type HostTensor, type ResidentTensor } from '@rank-collapse/backend';
import { TRAIN_STEP, type TrainStep } from './build-train-step.js';
import { TrainingError } from './train-options.js';

/**
 * Default steps per backend run: more steps per run make an epoch faster, while compiling the unrolled graph
 * (once per training run) grows with them; 16 is where the two balance (docs/performance.md).
 */
export const DEFAULT_STEPS_PER_RUN = 16;

/** One step's data: a batch and its learning rate. */
export interface StepFeed {
  /** Inputs [N, ...sampleShape]; every step of a group has the same N. */
  readonly x: HostTensor;
  /** One-hot targets [N, K]. */
  readonly targets: HostTensor;
  readonly lr: number;
}

/** What each step of a group reported. */
export interface StepResults {
  /** Mean data loss of each step's batch, in order. */
  readonly loss: number[];
  /** Correctly classified samples of each step's batch. */
  readonly correct: number[];
}

/** Runs groups of train steps on resident state; see {@link createStepRunner}. */
export interface StepRunner {
  /** Most steps one run takes; longer groups are split. */
  readonly stepsPerRun: number;
  /**
   * Runs the steps in order, replacing every state tensor of `state` (params, velocities, running stats;
   * keyed by graph param name) with its value after the last step; the replaced tensors are disposed.
   * @throws RunError from the backend; TrainingError if the backend did not keep the state resident.
   */
  run(state: Map<string, ResidentTensor>, steps: readonly StepFeed[]): Promise<StepResults>;
  dispose(): void;
}

/**
 * Compiles `step` unrolled `stepsPerRun` times on `backend` (and, when first needed, shorter unrollings for the
 * rest of an epoch). The unrolled graph computes op for op what single steps do, so results do not depend on
 * `stepsPerRun`.
 * @throws TrainingError if `stepsPerRun` is not a positive integer.
 */
export function createStepRunner(backend: Backend, step: TrainStep, stepsPerRun = DEFAULT_STEPS_PER_RUN): StepRunner {
  if (!Number.isInteger(stepsPerRun) || stepsPerRun < 1) throw new TrainingError(`stepsPerRun must be a positive integer, got ${stepsPerRun}`);
  const compiled = new Map<number, Promise<Executable>>();
  const executable = (count: number): Promise<Executable> => {
    let e = compiled.get(count);
    if (!e) {
      e = backend.compile(unrollSteps(step.graph, { steps: count, carry: step.next }));
      compiled.set(count, e);
    }
    return e;
  };
  const nextOutputs = Object.values(step.next);

  async function runGroup(state: Map<string, ResidentTensor>, group: readonly StepFeed[], results: StepResults): Promise<void> {
    const exe = await executable(group.length);
    const feeds: Record<string, Feed> = Object.fromEntries(state);
    group.forEach((s, k) => {
      feeds[stepValueName(TRAIN_STEP.x, k)] = s.x;
      feeds[stepValueName(TRAIN_STEP.targets, k)] = s.targets;
      feeds[stepValueName(TRAIN_STEP.lr, k)] = float32([], [s.lr]);
    });
    const perStep = group.flatMap((_, k) => [stepValueName(TRAIN_STEP.loss, k), stepValueName(TRAIN_STEP.correct, k)]);
    const out = await exe.run(feeds, { fetch: [...perStep, ...nextOutputs], keepResident: nextOutputs });
    for (const [name, output] of Object.entries(step.next)) {
      const fresh = out[output];
      if (!isResident(fresh)) throw new TrainingError(`${backend.name} returned "${output}" to the host though asked to keep it resident`);
      backend.dispose(state.get(name)!);
      state.set(name, fresh);
    }
    for (let k = 0; k < group.length; k++) {
      results.loss.push(Number((await backend.download(out[stepValueName(TRAIN_STEP.loss, k)])).data[0]));
      results.correct.push(Number((await backend.download(out[stepValueName(TRAIN_STEP.correct, k)])).data[0]));
    }
  }

  return {
    stepsPerRun,
    async run(state, steps) {
      const results: StepResults = { loss: [], correct: [] };
      for (let s = 0; s < steps.length; s += stepsPerRun) await runGroup(state, steps.slice(s, s + stepsPerRun), results);
      return results;
    },
    dispose() {
      for (const e of compiled.values()) void e.then((x) => x.dispose(), () => undefined);
      compiled.clear();
    },
  };
}
