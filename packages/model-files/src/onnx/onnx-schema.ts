/**
 * The part of onnx.proto a weight reader needs, as a protobufjs JSON descriptor, and the decoder. Field
 * numbers follow onnx/onnx.proto (proto2); protobufjs skips the fields left out (docs, value infos, subgraph
 * attributes, sparse initializers), so their bytes cost nothing beyond the file read.
 */
import protobuf from 'protobufjs';

export interface OnnxStringEntry {
  key: string;
  value: string;
}

export interface OnnxTensor {
  name?: string;
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  uint64Data?: number[];
  rawData?: Uint8Array;
  externalData?: OnnxStringEntry[];
  /** 1 = EXTERNAL: the values live in the file named by externalData's `location`. */
  dataLocation?: number;
}

export interface OnnxAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
}

export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}

export interface OnnxValueInfo {
  name?: string;
}

export interface OnnxGraph {
  node?: OnnxNode[];
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  graph?: OnnxGraph;
}

const packed = { packed: true };

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { edition: 'proto2', fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        TensorProto: {
          edition: 'proto2',
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: packed },
            int32Data: { rule: 'repeated', type: 'int32', id: 5, options: packed },
            int64Data: { rule: 'repeated', type: 'int64', id: 7, options: packed },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: 'repeated', type: 'double', id: 10, options: packed },
            uint64Data: { rule: 'repeated', type: 'uint64', id: 11, options: packed },
            externalData: { rule: 'repeated', type: 'StringStringEntryProto', id: 13 },
            dataLocation: { type: 'int32', id: 14 },
          },
        },
        AttributeProto: {
          edition: 'proto2',
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          edition: 'proto2',
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        ValueInfoProto: { edition: 'proto2', fields: { name: { type: 'string', id: 1 } } },
        GraphProto: {
          edition: 'proto2',
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        ModelProto: {
          edition: 'proto2',
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            graph: { type: 'GraphProto', id: 7 },
          },
        },
      },
    },
  },
};

let modelType: protobuf.Type | undefined;

/**
 * Decodes the bytes of an `.onnx` file. Byte fields (raw_data) stay views of `bytes`; int64 fields become
 * numbers (exact up to 2^53, which covers every shape and offset a real file holds).
 * @throws Error from protobufjs when the bytes are not a protobuf message of this shape (truncated, other format).
 */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  // Built on first use: nothing happens at import time.
  modelType ??= protobuf.Root.fromJSON(SCHEMA as protobuf.INamespace).lookupType('onnx.ModelProto');
  return modelType.toObject(modelType.decode(bytes), { longs: Number, arrays: true }) as OnnxModel;
}
