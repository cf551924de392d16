/** Host tensors ↔ ONNX TensorProto (raw little-endian data), and IR dtypes ↔ ONNX element types. */
import type { DType, HostTensor, Shape } from '@rank-collapse/backend';
import { ONNX_DTYPE, type TensorProto, type TypeProto } from './onnx-proto.js';

const TO_ONNX: Record<DType, number> = { float32: ONNX_DTYPE.FLOAT, int64: ONNX_DTYPE.INT64, bool: ONNX_DTYPE.BOOL };

/** ONNX TensorProto.DataType of an IR dtype. */
export const onnxElementType = (dtype: DType): number => TO_ONNX[dtype];

/** IR dtype of an ONNX element type, or undefined when the IR has none. */
export function irDtype(elementType: number): DType | undefined {
  if (elementType === ONNX_DTYPE.FLOAT) return 'float32';
  if (elementType === ONNX_DTYPE.INT64) return 'int64';
  if (elementType === ONNX_DTYPE.BOOL) return 'bool';
  return undefined;
}

/** float32 data as a Float32Array: the same array when it already is one (no copy), else converted. */
export function asFloat32(data: HostTensor['data']): Float32Array {
  if (data instanceof Float32Array) return data;
  return Float32Array.from(data as Float64Array);
}

/** A TensorProto holding `t` as raw data (this platform is little-endian, as ONNX raw data is). */
export function tensorProto(name: string, t: HostTensor): TensorProto {
  const data = t.dtype === 'float32' ? asFloat32(t.data) : t.data;
  return {
    name,
    dims: [...t.shape],
    dataType: onnxElementType(t.dtype),
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** A TypeProto for a tensor value; symbolic dims become dim_param. */
export function tensorTypeProto(dtype: DType, shape: Shape): TypeProto {
  return {
    tensorType: {
      elemType: onnxElementType(dtype),
      shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  };
}
