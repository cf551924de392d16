/**
 * The graph IR: typed tensors, named values, parameters and ops. Op semantics follow ONNX (opset 17) unless
 * `ops.ts` says otherwise, so compiling to ONNX is a near one-to-one mapping and other backends have a single
 * reference to follow. The float64 reference interpreter in `./testing` is the executable definition.
 */

/** Element types. float32 for all math; int64 for indices/shapes; bool for masks. */
export type DType = 'float32' | 'int64' | 'bool';

/**
 * One dimension: a non-negative integer, or a symbolic name (e.g. `'N'` for the batch) resolved at run time.
 * A graph uses at most one symbolic name, so reshapes can carry it through `-1`.
 */
export type Dim = number | string;
export type Shape = readonly Dim[];

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

/** Host-side data of each dtype. float32 tensors may carry Float64Array data (the reference backend does). */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

/** A concrete tensor in host memory: row-major (C order) data, concrete shape. */
export interface HostTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** A named value of the graph with its (inferred) type. */
export interface ValueInfo extends TensorType {
  readonly name: string;
}

/** What a parameter is for: the analysis and the optimizer read this (weight decay applies to `weight`). */
export type ParamRole = 'weight' | 'bias' | 'norm-scale' | 'norm-shift' | 'running-mean' | 'running-var' | 'other';

export interface ParamInfo extends ValueInfo {
  readonly role: ParamRole;
}

export type Pads2d = readonly [top: number, left: number, bottom: number, right: number];

/** Attributes of every op. Omitted optional attributes take the documented defaults (see ops.ts). */
export interface OpAttrs {
  MatMul: { transA?: boolean; transB?: boolean };
  Gemm: { alpha?: number; beta?: number; transA?: boolean; transB?: boolean };
  Add: Record<string, never>;
  Sub: Record<string, never>;
  Mul: Record<string, never>;
  Div: Record<string, never>;
  Neg: Record<string, never>;
  Exp: Record<string, never>;
  Log: Record<string, never>;
  Sqrt: Record<string, never>;
  Abs: Record<string, never>;
  Relu: Record<string, never>;
  LeakyRelu: { alpha?: number };
  Tanh: Record<string, never>;
  Sigmoid: Record<string, never>;
  Clip: { min?: number; max?: number };
  Greater: Record<string, never>;
  Equal: Record<string, never>;
  Where: Record<string, never>;
  Reshape: { shape: readonly number[] };
  Transpose: { perm?: readonly number[] };
  Flatten: { axis?: number };
  Squeeze: { axes: readonly number[] };
  Unsqueeze: { axes: readonly number[] };
  Expand: { shape: readonly Dim[] };
  Concat: { axis: number };
  Slice: { starts: readonly number[]; ends: readonly number[]; axes?: readonly number[]; steps?: readonly number[] };
  Pad: { pads: readonly number[]; value?: number };
  ReduceSum: { axes?: readonly number[]; keepdims?: boolean };
  ReduceMean: { axes?: readonly number[]; keepdims?: boolean };
  ReduceMax: { axes?: readonly number[]; keepdims?: boolean };
  Softmax: { axis?: number };
  LogSoftmax: { axis?: number };
  Conv: { strides?: readonly number[]; pads?: Pads2d; dilations?: readonly number[]; group?: number };
  ConvTranspose: {
    strides?: readonly number[];
    pads?: Pads2d;
    dilations?: readonly number[];
    group?: number;
    outputPadding?: readonly number[];
  };
  AveragePool: { kernelShape: readonly number[]; strides?: readonly number[]; pads?: Pads2d; countIncludePad?: boolean };
  GlobalAveragePool: Record<string, never>;
  MaxPool: { kernelShape: readonly number[]; strides?: readonly number[]; pads?: Pads2d };
  BatchNormalization: { epsilon?: number; momentum?: number; training?: boolean };
  Identity: Record<string, never>;
  Constant: { value: HostTensor };
  Cast: { to: DType };
}

export type OpType = keyof OpAttrs;

export interface Node<T extends OpType = OpType> {
  readonly op: T;
  /** Unique within the graph; imported models keep their node names. */
  readonly name: string;
  /** Value names; `''` marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: OpAttrs[T];
}

/**
 * A computation: run-time inputs, parameters (kept resident on the backend between runs), nodes in
 * topological order, outputs by value name, and the inferred type of every value.
 */
export interface Graph {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly params: readonly ParamInfo[];
  readonly nodes: readonly Node[];
  readonly outputs: readonly string[];
  /** Type of every value: inputs, params and node outputs. */
  readonly values: ReadonlyMap<string, TensorType>;
}
