/**
 * @rank-collapse/model-files/onnx: the ONNX protobuf schema, encode/decode and TensorProto reading shared by the
 * ONNX weight reader and backend-onnx's graph import and export (one decoder, one path-safety rule).
 */
export {
  ONNX_DTYPE,
  ATTR_TYPE,
  encodeModel,
  decodeModel,
  decodeTensor,
  encodeTensor,
  type StringStringEntry,
  type TensorProto,
  type AttributeProto,
  type NodeProto,
  type DimensionProto,
  type TypeProto,
  type ValueInfoProto,
  type GraphProto,
  type OperatorSetId,
  type ModelProto,
} from './onnx-proto.js';
export { onnxRoot, ONNX_SCHEMA } from './onnx-schema.js';
export { onnxElementType, irDtype, asFloat32, tensorProto, tensorTypeProto } from './tensor-proto.js';
export {
  TensorReadError,
  checkTensorProto,
  decodeTensorProto,
  readTensorProto,
  tensorShape,
  elementTypeName,
  isReadableElementType,
  halfToFloat,
  bfloat16ToFloat,
  type TensorSource,
  type TensorValues,
  type DecodedTensor,
} from './read-tensor-proto.js';
