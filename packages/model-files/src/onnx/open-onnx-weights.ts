/**
 * The ONNX weight reader: every weight matrix of an `.onnx` file with its role, as the node that uses it
 * reads it (Gemm, MatMul, Conv, ConvTranspose, LSTM/GRU/RNN, Gather, Einsum, QLinearMatMul/QLinearConv),
 * following Identity, Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Cast and DequantizeLinear between the
 * stored tensor and that node. Nothing is run; external data is read from the model's folder only.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import type { ReadWeightsOptions, WeightFile, WeightItem } from '../weight-matrix.js';
import { applyWeightSteps } from './apply-weight-steps.js';
import { gatherAxes } from './gather-axes.js';
import { indexGraph, type OnnxGraphIndex } from './onnx-graph.js';
import { decodeOnnxModel, type OnnxModel } from './onnx-schema.js';
import { planOnnxWeights, type WeightPlan } from './plan-onnx-weights.js';
import { readTensorValues } from './read-onnx-tensor.js';

/** protobuf's limit on one message: larger models must keep their weights as external data. */
const MAX_ONNX_BYTES = 2 ** 31 - 1;

/** Ops a classifier's logits pass through unchanged in width on the way to the graph output. */
const TO_OUTPUT = new Set(['Softmax', 'LogSoftmax', 'Sigmoid', 'Relu', 'Tanh', 'Identity', 'Dropout', 'Cast', 'Add', 'Sub', 'Mul', 'Div', 'Clip', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'ArgMax', 'BatchNormalization', 'DequantizeLinear', 'QuantizeLinear']);

/**
 * Opens an `.onnx` file for its weights. The graph is decoded and planned here (so a malformed file fails
 * now); `items()` then reads one weight tensor at a time, external data included.
 * @throws ModelFileError naming the file, and the tensor, node and op where one is at fault: unreadable or
 * over 2 GiB, not an ONNX model, no graph, invalid dims, a weight whose shape its node cannot take; and,
 * from `items()`, data that does not match its dims or external data missing, outside the model's folder or
 * too short.
 */
export async function openOnnxWeights(file: string, options: ReadWeightsOptions = {}): Promise<WeightFile> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new ModelFileError(file, 'is not a regular file');
    size = s.size;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  if (size === 0) throw new ModelFileError(file, 'is empty');
  if (size > MAX_ONNX_BYTES) throw new ModelFileError(file, `is ${size} bytes; an ONNX file holds at most ${MAX_ONNX_BYTES} bytes (larger models keep their weights as external data)`);
  let model: OnnxModel;
  try {
    model = decodeOnnxModel(await readFile(file));
  } catch (error) {
    throw new ModelFileError(file, `is not a valid ONNX model (protobuf decoding failed: ${(error as Error).message}); truncated, or another format?`, { cause: error });
  }
  if (!model.graph || ((model.graph.node ?? []).length === 0 && (model.graph.initializer ?? []).length === 0)) {
    throw new ModelFileError(file, 'has no graph (no nodes and no initializers): not an ONNX model?');
  }
  const modelDir = dirname(file);
  const graph = indexGraph(model.graph);
  const plan = await planOnnxWeights(file, modelDir, graph);
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ') || null;
  return {
    file,
    format: 'onnx',
    producer,
    outputWidth: classifierWidth(graph, plan),
    items: () => readItems(file, modelDir, plan, options),
  };
}

async function* readItems(file: string, modelDir: string, plan: WeightPlan, options: ReadWeightsOptions): AsyncGenerator<WeightItem> {
  const names = new Map<string, number>();
  const unique = (name: string): string => {
    const n = (names.get(name) ?? 0) + 1;
    names.set(name, n);
    return n === 1 ? name : `${name}#${n}`;
  };
  for (const entry of plan.constants) {
    options.signal?.throwIfAborted();
    const { constant } = entry;
    if (entry.kind === 'skipped') {
      yield { kind: 'skipped', name: constant.name, shape: entry.shape, reason: entry.reason };
      continue;
    }
    const stored = await readTensorValues(file, modelDir, constant.tensor, `tensor "${constant.name}"`);
    for (const use of entry.uses) {
      const operand = await applyWeightSteps(file, modelDir, constant.name, stored, use.steps);
      for (const m of use.matrices) {
        const data = gatherAxes(operand.values, m.view, m.rows, m.cols, m.fixed);
        const rows = m.rows.reduce((p, a) => p * m.view[a], 1);
        yield {
          kind: 'matrix',
          name: unique(m.name),
          tensor: constant.name,
          role: m.role,
          op: m.op,
          shape: entry.shape,
          rows,
          cols: data.length / rows,
          data,
          note: m.note,
        };
      }
    }
  }
}

/** Rows of the dense layer the first graph output comes from, through width-keeping ops; null if none. */
function classifierWidth(graph: OnnxGraphIndex, plan: WeightPlan): number | null {
  let value = graph.outputs[0];
  for (let hops = 0; value && hops < graph.nodes.length; hops++) {
    const index = graph.producer.get(value);
    if (index === undefined) return null;
    const rows = plan.rowsByNode.get(index);
    if (rows !== undefined) return rows;
    const node = graph.nodes[index];
    if (!TO_OUTPUT.has(node.opType ?? '')) return null;
    value = (node.input ?? []).find((name) => name !== '' && !graph.constantByName.has(name)) ?? '';
  }
  return null;
}
