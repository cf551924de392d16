import type { TrainOptions } from './train-options.js';

/**
 * The learning rate of global step `step` (0-based): linear warmup over the first warmupEpochs·stepsPerEpoch
 * steps (η·(step + 1)/warmupSteps), then the schedule: constant η; step η·γ^⌊epoch/everyEpochs⌋; cosine
 * minLr + (η − minLr)·(1 + cos(π·t/T))/2 with t the step since the cosine began (after warmup and startEpoch)
 * and T its length (to holdEpochs before the end; minLr after it, η before it).
 */
export function learningRate(options: Pick<TrainOptions, 'lr' | 'schedule' | 'warmupEpochs' | 'epochs'>, step: number, stepsPerEpoch: number): number {
  const warmupSteps = Math.round(options.warmupEpochs * stepsPerEpoch);
  if (step < warmupSteps) return (options.lr * (step + 1)) / warmupSteps;
  const schedule = options.schedule;
  switch (schedule.kind) {
    case 'constant':
      return options.lr;
    case 'step':
      return options.lr * schedule.gamma ** Math.floor(Math.floor(step / stepsPerEpoch) / schedule.everyEpochs);
    case 'cosine': {
      const begin = Math.max(warmupSteps, Math.round((schedule.startEpoch ?? 0) * stepsPerEpoch));
      const end = Math.round((options.epochs - (schedule.holdEpochs ?? 0)) * stepsPerEpoch);
      if (step < begin) return options.lr;
      const total = Math.max(1, end - begin);
      const t = Math.min(step - begin, total);
      return schedule.minLr + ((options.lr - schedule.minLr) * (1 + Math.cos((Math.PI * t) / total))) / 2;
    }
  }
}
