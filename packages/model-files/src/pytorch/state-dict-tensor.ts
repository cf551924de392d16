/**
 * How a tensor of a state dict (PyTorch checkpoint or safetensors file) is read, from its key, shape and
 * element type alone: state dicts carry no graph, so the key is all there is to tell a layer by.
 */
import type { WeightRole } from '../weight-matrix.js';
import type { FloatDtype } from './float-dtype.js';

/** A tensor read as a matrix: rows × cols from the stored [shape] (with `transposed` for embedding tables). */
export interface StateDictMatrixPlan {
  readonly kind: 'matrix';
  readonly role: Extract<WeightRole, 'dense' | 'embedding' | 'conv'>;
  readonly rows: number;
  readonly cols: number;
  /** Read as the transpose of the stored 2-D tensor (embedding tables, stored vocab × dim). */
  readonly transposed: boolean;
  readonly note: string | null;
}

/** A tensor not analyzed, with why. */
export interface StateDictSkipPlan {
  readonly kind: 'skipped';
  readonly reason: string;
}

export type StateDictPlan = StateDictMatrixPlan | StateDictSkipPlan;

/** Module names of embedding tables (torch.nn.Embedding and the usual names of transformer libraries). */
const EMBEDDING = /embed|^wte$|^wpe$|^shared$/i;

/**
 * Decides how the tensor `key` of the given shape is read.
 *
 * - 2-D floating-point tensors are dense matrices as stored ([out, in], z = W·h), except embedding tables
 *   (the module's name contains `embed`, or is `wte`, `wpe`, `shared`), stored vocab × dim and read
 *   transposed as dim × vocab;
 * - 3-, 4- and 5-D floating-point tensors whose key ends in `weight` are convolution kernels, read as
 *   C_out × (C_in/groups · k…); other such tensors (attention masks, class tokens, positional tables) are skipped;
 * - everything else is skipped with the reason: scalars and 1-D tensors (biases, normalization scales and
 *   statistics), integer and boolean tensors (position ids, num_batches_tracked, masks), empty tensors.
 *
 * @param dtype the element type as the file names it (`I64`, `BOOL`, …); `float` says whether it is one of {@link FloatDtype}
 */
export function planStateDictTensor(key: string, shape: readonly number[], dtype: string, float: boolean): StateDictPlan {
  const segments = key.split('.');
  const last = segments.at(-1) ?? key;
  if (!float) return { kind: 'skipped', reason: `${dtype} tensor: only floating-point tensors are weights (integer and boolean ones are ids, counters or masks)` };
  const count = shape.reduce((a, b) => a * b, 1);
  if (count === 0) return { kind: 'skipped', reason: 'empty tensor' };
  if (shape.length === 0) return { kind: 'skipped', reason: 'scalar' };
  if (shape.length === 1) return { kind: 'skipped', reason: oneDimensionalReason(key, last) };
  if (shape.length === 2) {
    const module = last === 'weight' && segments.length > 1 ? segments[segments.length - 2] : last;
    if (EMBEDDING.test(module)) {
      return { kind: 'matrix', role: 'embedding', rows: shape[1], cols: shape[0], transposed: true, note: `embedding table stored ${shape[0]} × ${shape[1]} (vocab × dim), read transposed as dim × vocab` };
    }
    return { kind: 'matrix', role: 'dense', rows: shape[0], cols: shape[1], transposed: false, note: null };
  }
  if (shape.length <= 5 && /weight$/i.test(last)) {
    const cols = count / shape[0];
    return { kind: 'matrix', role: 'conv', rows: shape[0], cols, transposed: false, note: `${shape.length}-D kernel [${shape.join(', ')}] read as C_out × rest: ${shape[0]} × ${cols}` };
  }
  return { kind: 'skipped', reason: `${shape.length}-D tensor not named as a layer weight (a buffer such as a mask, token or positional table)` };
}

function oneDimensionalReason(key: string, last: string): string {
  if (/bias$/i.test(last)) return '1-D bias';
  if (/running_(mean|var)$/.test(last)) return 'normalization statistics (1-D)';
  if (/norm|bn|ln/i.test(key)) return 'normalization scale (1-D)';
  return '1-D tensor (a bias, scale or buffer)';
}
