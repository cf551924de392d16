/**
 * Plain-object types of the ONNX protobuf messages the ONNX weight reader and backend-onnx use, with encode/decode through protobufjs.
 * int64 fields are plain numbers (exact up to 2^53, which covers every shape, axis and offset we meet).
 */
import { onnxRoot } from './onnx-schema.js';

/** TensorProto.DataType values (onnx.proto numbering). */
export const ONNX_DTYPE = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
} as const;

/** AttributeProto.AttributeType values. */
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface StringStringEntry {
  key: string;
  value: string;
}

export interface TensorProto {
  name?: string;
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  uint64Data?: number[];
  rawData?: Uint8Array;
  externalData?: StringStringEntry[];
  /** 1 = EXTERNAL (data in another file named by externalData). */
  dataLocation?: number;
}

export interface AttributeProto {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  g?: GraphProto;
  tensors?: TensorProto[];
  graphs?: GraphProto[];
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeProto[];
}

export interface DimensionProto {
  dimValue?: number;
  dimParam?: string;
}

export interface TypeProto {
  tensorType?: { elemType?: number; shape?: { dim?: DimensionProto[] } };
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
}

export interface GraphProto {
  name?: string;
  node?: NodeProto[];
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
}

export interface OperatorSetId {
  domain?: string;
  version?: number;
}

export interface ModelProto {
  irVersion?: number;
  opsetImport?: OperatorSetId[];
  producerName?: string;
  producerVersion?: string;
  graph?: GraphProto;
  docString?: string;
  metadataProps?: StringStringEntry[];
}

/** Serializes a model to protobuf bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  return onnxRoot().lookupType('onnx.ModelProto').encode(model).finish();
}

/** Parses protobuf bytes as a ModelProto. @throws Error from protobufjs on malformed input. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return decodeAs<ModelProto>('onnx.ModelProto', bytes);
}

/** Parses protobuf bytes as a TensorProto (the `.pb` files of ONNX test data). */
export function decodeTensor(bytes: Uint8Array): TensorProto {
  return decodeAs<TensorProto>('onnx.TensorProto', bytes);
}

/** Serializes one TensorProto. */
export function encodeTensor(tensor: TensorProto): Uint8Array {
  return onnxRoot().lookupType('onnx.TensorProto').encode(tensor).finish();
}

function decodeAs<T>(type: string, bytes: Uint8Array): T {
  const t = onnxRoot().lookupType(type);
  // bytes stay views of `bytes` (no copy of large raw_data); longs become numbers.
  return t.toObject(t.decode(bytes), { longs: Number, arrays: true }) as T;
}
