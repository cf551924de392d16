/** @rank-collapse/training: SGD training over one compiled train-step graph, with schedules, checkpoints and divergence detection. */
// Everything that needs no Node.js lives in ./core (the browser entry); this entry adds the checkpoint files.
export * from './core.js';
export { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint-file.js';
