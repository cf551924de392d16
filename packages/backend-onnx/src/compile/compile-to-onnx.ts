/**
 * IR graph → ONNX ModelProto (IR version 8, ai.onnx opset 17). Params become graph inputs, so the caller
 * feeds them each run as resident runtime tensors (no copy), or initializers when their values are given
 * (export). Symbolic dims become dim_param.
 */
import { GraphError, type Graph, type HostTensor } from '@rank-collapse/backend';
import type { ModelProto, ValueInfoProto } from '@rank-collapse/model-files/onnx';
import { tensorProto, tensorTypeProto } from '@rank-collapse/model-files/onnx';
import { fuseGemmEpilogues } from './fuse-gemm-epilogues.js';
import { lowerNode } from './lower-node.js';
import { OnnxGraphWriter } from './onnx-graph-writer.js';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

export interface CompileToOnnxOptions {
  /** Param values stored as initializers (export); without them params are graph inputs (training, probing). */
  readonly paramValues?: ReadonlyMap<string, HostTensor>;
  /** ModelProto.producer_version. */
  readonly producerVersion?: string;
  /**
   * Only lowerings that the importer reads back (for files). Without it, the compiler may also use
   * run-time-shaped helpers such as the ones vector of column sums (for sessions). The exporter sets it.
   */
  readonly portable?: boolean;
  /** Fold SGD-update arithmetic into Gemm (see fuse-gemm-epilogues.ts; pays on one intra-op thread). Default true. */
  readonly foldGemmEpilogues?: boolean;
}

export interface CompiledOnnx {
  readonly model: ModelProto;
  /** IR output name → ONNX graph output name (they differ only for outputs that are inputs, params or constants). */
  readonly outputNames: ReadonlyMap<string, string>;
}

/** Lowers `graph` to an ONNX model. @throws GraphError or UnsupportedError naming the node. */
export function compileToOnnx(graph: Graph, options: CompileToOnnxOptions = {}): CompiledOnnx {
  const w = new OnnxGraphWriter(graph, options.portable ?? false);
  for (const node of graph.nodes) lowerNode(w, node);

  const valueInfo = (name: string, onnxName = name): ValueInfoProto => {
    const t = w.typeOf(name);
    return { name: onnxName, type: tensorTypeProto(t.dtype, t.shape) };
  };
  const initializers = [];
  const inputs = graph.inputs.map((i) => valueInfo(i.name));
  for (const p of graph.params) {
    if (!options.paramValues) inputs.push(valueInfo(p.name));
    else {
      const value = options.paramValues.get(p.name);
      if (!value) throw new GraphError(`graph "${graph.name}": no value for param "${p.name}"`);
      if (value.shape.length !== p.shape.length || value.shape.some((d, i) => d !== p.shape[i])) {
        throw new GraphError(`graph "${graph.name}": param "${p.name}" value has shape [${value.shape}], the graph declares [${p.shape}]`);
      }
      initializers.push(tensorProto(p.name, value));
    }
  }

  // ONNX wants graph outputs produced by nodes; outputs that are inputs or params get an Identity.
  const direct = new Set([...graph.inputs.map((i) => i.name), ...graph.params.map((p) => p.name)]);
  const outputNames = new Map<string, string>();
  const outputs = graph.outputs.map((name) => {
    let onnxName = name;
    if (direct.has(name)) onnxName = w.add('Identity', w.fresh(`${name}/output`), [name], [w.fresh(`${name}/output`)]);
    outputNames.set(name, onnxName);
    return valueInfo(name, onnxName);
  });

  const nodes = options.foldGemmEpilogues === false ? w.nodes : fuseGemmEpilogues(w.nodes, graph, new Set(outputs.map((o) => o.name!)));
  const model: ModelProto = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'rank-collapse',
    producerVersion: options.producerVersion ?? '0',
    graph: { name: graph.name, node: nodes, initializer: initializers, input: inputs, output: outputs },
  };
  return { model, outputNames };
}
