/**
 * What a weight of a Keras layer is: a kernel read into the contract's orientation (one matrix, or one per
 * gate of a recurrent layer), or a tensor skipped with the reason. Keras stores Dense kernels [in, out], convs
 * [k…, in/groups, out], depthwise kernels [k…, in, multiplier], transposed convs [k…, out, in], recurrent
 * kernels [in, gates·units] with the gates side by side (LSTM i,f,c,o; GRU z,r,h), embeddings [vocab, dim].
 */
import { ModelFileError } from '@rank-collapse/backend';
import type { WeightRole } from '../weight-matrix.js';
import type { KernelPlan, PlannedMatrix } from './kernel-plan.js';
import { kernelMatrix } from './kernel-matrix.js';
import type { KerasLayer } from './keras-topology.js';
import type { TfjsWeightSpec } from './tfjs-manifest.js';


const CONV: Record<string, number> = { Conv1D: 1, Conv2D: 2, Conv3D: 3, Convolution1D: 1, Convolution2D: 2, Convolution3D: 3 };
const DEPTHWISE: Record<string, number> = { DepthwiseConv1D: 1, DepthwiseConv2D: 2 };
const SEPARABLE: Record<string, number> = { SeparableConv1D: 1, SeparableConv2D: 2, SeparableConvolution1D: 1, SeparableConvolution2D: 2 };
const TRANSPOSED: Record<string, number> = { Conv1DTranspose: 1, Conv2DTranspose: 2, Conv3DTranspose: 3, Deconvolution2D: 2, Deconvolution3D: 3 };
/** Gate letters in the order Keras stores them side by side; SimpleRNN has one unnamed gate. */
const GATES: Record<string, readonly string[]> = { LSTM: ['i', 'f', 'c', 'o'], CuDNNLSTM: ['i', 'f', 'c', 'o'], GRU: ['z', 'r', 'h'], CuDNNGRU: ['z', 'r', 'h'], SimpleRNN: [''] };
const CONV_RECURRENT: Record<string, number> = { ConvLSTM1D: 1, ConvLSTM2D: 2, ConvLSTM3D: 3 };
const CELLS: Record<string, string> = { LSTMCell: 'LSTM', GRUCell: 'GRU', SimpleRNNCell: 'SimpleRNN' };
const NORMALIZATION = new Set(['gamma', 'beta', 'moving_mean', 'moving_variance']);

/** The weight `kind` (last part of its manifest name) of `layer`, read from `direction` of a Bidirectional wrapper. */
export interface KerasWeightOwner {
  readonly layer: KerasLayer;
  readonly kind: string;
  readonly direction?: 'forward' | 'backward';
  /** The matrix name: the layer name, made unique in the file. */
  readonly name: string;
}

/**
 * @throws ModelFileError naming `file`, the layer and the weight when a kernel's shape does not fit the layer
 *   (wrong rank, or units/filters other than the layer's config).
 */
export function planKerasWeight(file: string, owner: KerasWeightOwner, spec: TfjsWeightSpec): KernelPlan {
  const { layer, kind } = owner;
  const wrapped = layer.inner;
  let className = wrapped?.className ?? layer.className;
  let config = wrapped?.config ?? layer.config;
  const cell = config.cell;
  if (className === 'RNN' && typeof cell === 'object' && cell !== null && !Array.isArray(cell)) {
    const c = cell as { class_name?: unknown; config?: Record<string, unknown> };
    className = CELLS[String(c.class_name)] ?? `RNN(${String(c.class_name)})`;
    config = c.config ?? {};
  }
  const op = wrapped ? `${layer.className}(${className})` : className;
  const name = owner.direction ? `${owner.name}.${owner.direction}` : owner.name;
  const shape = spec.shape;
  const what = `layer "${layer.name}" (${op})`;
  const bad = (expected: string) => new ModelFileError(file, `${what}: weight "${spec.name}" has shape [${shape}]; expected ${expected}`);
  const skip = (reason: string): KernelPlan => ({ kind: 'skip', reason });
  const read = (build: (values: Float32Array) => PlannedMatrix[]): KernelPlan => ({ kind: 'read', build });
  const number = (key: string) => (typeof config[key] === 'number' ? (config[key] as number) : undefined);
  const stored = `${kind} [${shape}]`;

  if (kind === 'bias' || kind.endsWith('_bias')) return skip(`bias of ${what}`);
  if (NORMALIZATION.has(kind)) return skip(`${kind} of ${what}: a per-channel vector, not a matrix`);

  if (className === 'Dense' && kind === 'kernel') {
    const units = number('units');
    if (shape.length !== 2 || (units !== undefined && shape[1] !== units)) throw bad(`[inputs, ${units ?? 'units'}]`);
    return read((v) => [{ name, role: 'dense', op, ...kernelMatrix(v, shape, [1], [0]), note: wrapped ? `applied at every time step (${layer.className})` : null }]);
  }
  if (className === 'Embedding' && kind === 'embeddings') {
    const dim = number('output_dim');
    if (shape.length !== 2 || (dim !== undefined && shape[1] !== dim)) throw bad(`[vocabulary, ${dim ?? 'output_dim'}]`);
    return read((v) => [{ name, role: 'embedding', op, ...kernelMatrix(v, shape, [1], [0]), note: `table ${stored} (vocabulary × dim) read as dim × vocabulary` }]);
  }
  const k = CONV[className] ?? SEPARABLE[className];
  if (k !== undefined && (kind === 'kernel' || kind === 'pointwise_kernel')) {
    const filters = number('filters');
    if (shape.length !== k + 2 || (filters !== undefined && shape[k + 1] !== filters)) throw bad(`rank ${k + 2} [k…, C_in/groups, ${filters ?? 'filters'}]`);
    const groups = number('groups') ?? 1;
    const part = kind === 'pointwise_kernel' ? '.pointwise' : '';
    const layout = `${stored} (k…, C_in${groups > 1 ? `/${groups}` : ''}, C_out) read as C_out × C_in${groups > 1 ? `/${groups}` : ''}·k…`;
    return read((v) => [{ name: name + part, role: 'conv', op, ...kernelMatrix(v, shape, [k + 1], [k, ...range(k)]), note: layout }]);
  }
  const d = DEPTHWISE[className] ?? SEPARABLE[className];
  if (d !== undefined && kind === 'depthwise_kernel') {
    const multiplier = number('depth_multiplier');
    if (shape.length !== d + 2 || (multiplier !== undefined && shape[d + 1] !== multiplier)) throw bad(`rank ${d + 2} [k…, C_in, ${multiplier ?? 'depth_multiplier'}]`);
    const part = SEPARABLE[className] !== undefined ? '.depthwise' : '';
    const layout = `depthwise ${stored} (k…, C_in, multiplier) read as C_in·multiplier × k…: one row per output channel, each over its own input channel's window`;
    return read((v) => [{ name: name + part, role: 'conv', op, ...kernelMatrix(v, shape, [d, d + 1], range(d)), note: layout }]);
  }
  const t = TRANSPOSED[className];
  if (t !== undefined && kind === 'kernel') {
    const filters = number('filters');
    if (shape.length !== t + 2 || (filters !== undefined && shape[t] !== filters)) throw bad(`rank ${t + 2} [k…, ${filters ?? 'filters'}, C_in]`);
    return read((v) => [{ name, role: 'conv-transpose', op, ...kernelMatrix(v, shape, [t, ...range(t)], [t + 1]), note: `${stored} (k…, C_out, C_in) read as C_out·k… × C_in` }]);
  }
  const gates = GATES[className];
  if (gates !== undefined && (kind === 'kernel' || kind === 'recurrent_kernel')) {
    const units = number('units') ?? shape[1] / gates.length;
    const rows = kind === 'kernel' ? 'inputs' : String(units);
    if (shape.length !== 2 || !Number.isInteger(units) || shape[1] !== gates.length * units || (kind === 'recurrent_kernel' && shape[0] !== units)) throw bad(`[${rows}, ${gates.length}·${units}] (gates ${gates.join(',') || 'one'} side by side)`);
    const input = kind === 'kernel';
    return read((v) =>
      gates.map((gate, g) => ({
        name: `${name}.${input ? 'W' : 'R'}${gate ? `.${gate}` : ''}`,
        role: (input ? 'recurrent-input' : 'recurrent-hidden') as WeightRole,
        op,
        ...kernelMatrix(v, [shape[0], gates.length, units], [2], [0], { 1: g }),
        note: gate ? `gate ${gate} (${g + 1} of ${gates.length}) of ${stored}, transposed to units × ${input ? 'inputs' : 'units'}` : `${stored} transposed to units × ${input ? 'inputs' : 'units'}`,
      })),
    );
  }
  const c = CONV_RECURRENT[className];
  if (c !== undefined && (kind === 'kernel' || kind === 'recurrent_kernel')) {
    const filters = number('filters') ?? shape[c + 1] / 4;
    if (shape.length !== c + 2 || !Number.isInteger(filters) || shape[c + 1] !== 4 * filters || (kind === 'recurrent_kernel' && shape[c] !== filters)) throw bad(`rank ${c + 2} [k…, C, 4·${filters}] (gates i,f,c,o side by side)`);
    const input = kind === 'kernel';
    const view = [...shape.slice(0, c + 1), 4, filters];
    return read((v) =>
      ['i', 'f', 'c', 'o'].map((gate, g) => ({
        name: `${name}.${input ? 'W' : 'R'}.${gate}`,
        role: (input ? 'recurrent-input' : 'recurrent-hidden') as WeightRole,
        op,
        ...kernelMatrix(v, view, [c + 2], [c, ...range(c)], { [c + 1]: g }),
        note: `gate ${gate} of the convolutional ${stored}, read as filters × C·k…`,
      })),
    );
  }
  return skip(`${kind} of ${what} is not a kernel this reader analyzes`);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
