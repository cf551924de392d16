/**
 * readOnnxWeights(): the weight matrices of an `.onnx` file without running it — initializers, Constant nodes and
 * constant subexpressions, in the main graph and in If/Loop/Scan subgraphs, external data included — each read
 * by the role of the node consuming it (dense, conv, transposed conv, recurrent gates, embedding, einsum,
 * dequantized forms).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import type { ReadWeightsOptions, WeightFile, WeightItem } from '../weight-matrix.js';
import { ConstantFolder } from './constant-folder.js';
import { GraphScope, isDefaultDomain, type ConstantSource, type ScopedNode } from './graph-scope.js';
import { LAYER_READERS } from './layer-weights.js';
import { outputWidth } from './output-width.js';
import { decodeModel, type ModelProto } from './proto/onnx-proto.js';
import { TensorReadError, checkTensorProto, elementTypeName, isReadableElementType } from './proto/read-tensor-proto.js';
import { ConsumerIndex } from './skip-reasons.js';
import { OperandReader, type MatrixSpec, type SkipSpec } from './weight-operand.js';

/**
 * Opens an ONNX model for its weights. The file is decoded and every tensor checked against the bytes present
 * (raw data, typed fields, external files inside the model's folder) before anything is yielded; matrices are
 * computed one at a time as `items()` is iterated and not kept. Items: the matrices in node order (subgraphs
 * where their node is), then every stored tensor that is not a matrix, with the reason.
 * @throws ModelFileError naming the file (and the tensor or node): unreadable, not ONNX, truncated, dims that do
 * not match the data, external data missing, short or outside the folder, inconsistent weight shapes.
 */
export async function readOnnxWeights(file: string, options: ReadWeightsOptions): Promise<WeightFile> {
  options.signal?.throwIfAborted();
  const model = await readModel(file);
  try {
    return analyzeModel(file, model, options);
  } catch (error) {
    throw asModelFileError(file, error);
  }
}

async function readModel(file: string): Promise<ModelProto> {
  let bytes: Uint8Array;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new ModelFileError(file, 'is not a regular file');
    if (s.size === 0) throw new ModelFileError(file, 'is empty');
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new ModelFileError(file, `is not a valid ONNX model (protobuf decoding failed: ${(error as Error).message}); truncated or another format?`, { cause: error });
  }
  if (!model.graph) throw new ModelFileError(file, 'is not an ONNX model: it has no graph');
  return model;
}

function analyzeModel(file: string, model: ModelProto, options: ReadWeightsOptions): WeightFile {
  const source = { modelDir: dirname(file), modelFile: file };
  const root = new GraphScope(model.graph!, '', undefined);
  const scopes = allScopes(root);
  const unreadable: SkipSpec[] = [];
  for (const scope of scopes) {
    for (const c of scope.constants.values()) {
      const type = c.tensor.dataType ?? 0;
      if (!isReadableElementType(type)) {
        unreadable.push({ name: c.label, shape: (c.tensor.dims ?? []).map(Number), reason: `holds ${elementTypeName(type)} values, not numbers`, sources: [c] });
        continue;
      }
      checkTensorProto(c.tensor, source, `${c.origin} "${c.label}"`);
    }
  }
  const folder = new ConstantFolder(file, source);
  folder.analyze(root);
  const reader = new OperandReader(folder, file);

  const perNode = new Map<ScopedNode, MatrixSpec[]>();
  const ordered: (MatrixSpec | SkipSpec)[] = [];
  const covered = new Set<ConstantSource>(unreadable.flatMap((s) => s.sources ?? []));
  const names = new Set<string>();
  const unique = (name: string) => {
    let n = name;
    for (let k = 2; names.has(n); k++) n = `${name}#${k}`;
    names.add(n);
    return n;
  };
  const visit = (scope: GraphScope) => {
    for (const node of scope.nodes) {
      const read = isDefaultDomain(node.domain) ? LAYER_READERS[node.opType] : undefined;
      if (read) {
        const { matrices, skipped } = read(reader, node);
        const named = matrices.map((m) => ({ ...m, name: unique(m.name) }));
        perNode.set(node, named);
        for (const m of named) m.sources.forEach((s) => covered.add(s));
        for (const s of skipped) (s.sources ?? []).forEach((c) => covered.add(c));
        ordered.push(...named, ...skipped);
      }
      node.subgraphs.forEach(visit);
    }
  };
  visit(root);

  const consumers = new ConsumerIndex(root);
  const notAnalyzed: SkipSpec[] = [...unreadable];
  for (const scope of scopes) {
    for (const c of scope.constants.values()) {
      if (covered.has(c)) continue;
      notAnalyzed.push({ name: c.label, shape: (c.tensor.dims ?? []).map(Number), reason: consumers.reason(scope, c) });
    }
    for (const [name, why] of scope.unreadableConstants) notAnalyzed.push({ name: scope.prefix + name, shape: [], reason: why });
  }
  const items = [...ordered, ...notAnalyzed];
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ') || null;
  return {
    file,
    format: 'onnx',
    producer,
    outputWidth: outputWidth(root, perNode, folder),
    items: () => iterate(file, items, options),
  };
}

async function* iterate(file: string, items: readonly (MatrixSpec | SkipSpec)[], options: ReadWeightsOptions): AsyncGenerator<WeightItem> {
  for (const item of items) {
    options.signal?.throwIfAborted();
    if (!('data' in item)) {
      yield { kind: 'skipped', name: item.name, shape: item.shape, reason: item.reason };
      continue;
    }
    let data: Float64Array;
    try {
      data = item.data();
    } catch (error) {
      throw asModelFileError(file, error, `matrix "${item.name}"`);
    }
    if (data.length !== item.rows * item.cols) throw new ModelFileError(file, `matrix "${item.name}": ${data.length} values for ${item.rows}×${item.cols}`);
    const { name, tensor, role, op, shape, rows, cols, note } = item;
    yield { kind: 'matrix', name, tensor, role, op, shape, rows, cols, data, note };
  }
}

function allScopes(root: GraphScope): GraphScope[] {
  const out: GraphScope[] = [];
  const visit = (scope: GraphScope) => {
    out.push(scope);
    for (const node of scope.nodes) node.subgraphs.forEach(visit);
  };
  visit(root);
  return out;
}

/** Every failure names the file; anything unexpected (a malformed attribute) is reported as a malformed model. */
function asModelFileError(file: string, error: unknown, what?: string): ModelFileError {
  if (error instanceof ModelFileError) return error;
  if (error instanceof TensorReadError) return new ModelFileError(file, error.message, { cause: error });
  if (error instanceof DOMException && error.name === 'AbortError') throw error;
  const message = error instanceof Error ? error.message : String(error);
  return new ModelFileError(file, `malformed model${what ? ` at ${what}` : ''}: ${message}`, { cause: error });
}
