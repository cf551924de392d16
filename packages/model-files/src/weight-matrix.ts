/**
 * What a weight reader yields: every weight matrix of a model file with its role, and every tensor it did not
 * analyze with the reason. One reader per format (ONNX, TF.js Layers and Graph models, safetensors, PyTorch
 * checkpoints); the analysis sees only these types, never the file format.
 *
 * Convention for every format: W is rows×cols, row-major, read so that z = W·h (rows = outputs). Convolution
 * kernels are C_out × (C_in/groups · k…); transposed convolutions C_out/groups·k… × C_in; recurrent layers one
 * matrix per direction and gate (hidden × input for W, hidden × hidden for R); embedding tables dim × vocab.
 * Singular values do not depend on these orientations; shapes, names and the certificate do.
 */

/** The file formats a weight reader understands. */
export const WEIGHT_FORMATS = ['onnx', 'tfjs-layers', 'tfjs-graph', 'safetensors', 'pytorch'] as const;
export type WeightFormat = (typeof WEIGHT_FORMATS)[number];

/** What a weight matrix does in the model. */
export const WEIGHT_ROLES = [
  /** Fully connected: Gemm, MatMul (any leading batch/sequence axes), Dense, a 2-D tensor of a state dict. */
  'dense',
  /** Convolution kernel (any spatial rank, grouped and depthwise included). */
  'conv',
  /** Transposed convolution kernel. */
  'conv-transpose',
  /** Input-to-hidden weights of a recurrent layer (one gate, one direction). */
  'recurrent-input',
  /** Hidden-to-hidden weights of a recurrent layer (one gate, one direction). */
  'recurrent-hidden',
  /** Lookup table (Gather, Embedding). */
  'embedding',
  /** A constant operand of an Einsum, read as the matrix its equation contracts. */
  'einsum',
] as const;
export type WeightRole = (typeof WEIGHT_ROLES)[number];

/** One weight matrix as the theory reads it. */
export interface WeightMatrix {
  /** Unique within the file: the layer (node, Keras layer or state-dict key) and, where one tensor gives several matrices, a suffix (`lstm0.W.i`, `blocks.0.attn[2]`). */
  readonly name: string;
  /** Name of the stored tensor it comes from (initializer, manifest weight, state-dict key). */
  readonly tensor: string;
  readonly role: WeightRole;
  /** The op or layer class that consumes it (`MatMul`, `Conv`, `Dense`, `_FusedConv2D`, …); null when the format does not say (state dicts). */
  readonly op: string | null;
  /** The stored tensor's shape. */
  readonly shape: readonly number[];
  /** m: outputs. */
  readonly rows: number;
  /** n: inputs. */
  readonly cols: number;
  /** rows·cols values, row-major. */
  readonly data: Float32Array | Float64Array;
  /** How the tensor was read when it is not a plain matrix (reshape, groups, dequantization), for people. */
  readonly note: string | null;
}

/** A tensor the reader saw but did not analyze, with why (bias, normalization scale, integer table, …). */
export interface SkippedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly reason: string;
}

/** An item of a weight file, in file order. */
export type WeightItem = ({ readonly kind: 'matrix' } & WeightMatrix) | ({ readonly kind: 'skipped' } & SkippedTensor);

/** An opened model file. */
export interface WeightFile {
  /** The path as given. */
  readonly file: string;
  readonly format: WeightFormat;
  /** The producer the file names (`pytorch 2.1`, `tf2onnx 1.16`, `keras 2.15`), null when it names none. */
  readonly producer: string | null;
  /**
   * Output width of the model's classifier when the file reveals one (the last dense layer feeding the graph
   * output, a Dense head), else null: the default K of a weights-only analysis.
   */
  readonly outputWidth: number | null;
  /**
   * The file's matrices and skipped tensors, in file order. Readers that can stream (safetensors, PyTorch,
   * ONNX with external data) hold one tensor at a time, so memory stays near the largest tensor.
   */
  items(): AsyncIterable<WeightItem>;
}

/** Options of every reader. */
export interface ReadWeightsOptions {
  /** Stop reading (between tensors). */
  readonly signal?: AbortSignal;
}
