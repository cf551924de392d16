/** @rank-collapse/training: The training loop over one compiled train-step graph: SGD with momentum and weight decay, schedules, checkpoints, divergence detection. */
export {};
