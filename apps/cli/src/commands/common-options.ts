import { InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES } from '../backends/backend-factories.js';

/** `--backend onnx|tfjs|reference|auto`. */
export const backendOption = (defaultValue = 'auto'): Option =>
  new Option('--backend <name>', 'compute backend: onnx, tfjs, reference (exact, slow) or auto (onnx, then tfjs)').choices(BACKEND_CHOICES).default(defaultValue);

/** `--threads N`: threads inside one op of the onnx backend. */
export const threadsOption = (): Option => new Option('--threads <n>', 'threads per backend (onnx intra-op threads)').argParser(positiveInteger('--threads'));
/** SGD steps per backend run (the train step unrolled; same results, fewer runtime crossings). */
export const stepsPerRunOption = (): Option =>
  new Option('--steps-per-run <n>', 'SGD steps per backend run (the step graph unrolled; results do not depend on it), default 16').argParser(positiveInteger('--steps-per-run'));

/** Parser of a flag taking an integer ≥ 1. */
export function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} expects an integer ≥ 1, got "${value}"`);
    return n;
  };
}

/** Parser of a flag taking a finite number ≥ 0. */
export function nonNegativeNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag} expects a number ≥ 0, got "${value}"`);
    return n;
  };
}

/** Parser of a flag taking a number strictly between 0 and 1. */
export function openUnitNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !(n > 0 && n < 1)) throw new InvalidArgumentError(`${flag} expects a number between 0 and 1 (exclusive), got "${value}"`);
    return n;
  };
}
