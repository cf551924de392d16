/**
 * createModelRunner(): runs an ONNX file as it is in onnxruntime, with the activation operand of every
 * weight-bearing node and the logits added as extra graph outputs — no translation into the IR, so any model
 * onnxruntime runs can be streamed (transformers, recurrent nets, CNNs with any op).
 */
import { readFile } from 'node:fs/promises';
import { ModelFileError } from '@rank-collapse/backend';
import { decodeModelFile } from './decode-model-file.js';
import { encodeModel, ONNX_DTYPE, type ValueInfoProto } from '@rank-collapse/model-files/onnx';
import type { OrtNamespace, OrtSessionOptions, OrtTensor } from '../ort-namespace.js';
import { findLogits, type LogitsLocation } from './find-logits.js';
import { findWeightNodes, type WeightNode } from './weight-nodes.js';

/** A float tensor going in or out of a run (row-major). */
export interface RunnerTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** A graph input: its name and dims (numbers, or the symbolic name, or null when unnamed). */
export interface RunnerInput {
  readonly name: string;
  readonly dims: readonly (number | string | null)[];
  /** ONNX element type name (`float`, `int64`, …). */
  readonly type: string;
}

/** What the forward analysis needs of a model: its inputs, where the logits and layer inputs are, and runs. */
export interface ModelRunner {
  /** Data inputs (initializers listed as inputs are left out). */
  readonly inputs: readonly RunnerInput[];
  readonly logits: LogitsLocation;
  readonly weightNodes: readonly WeightNode[];
  /**
   * Runs the model on `feeds` (float32 inputs) and returns the `fetch`ed values as float32. A fetched name
   * that is a graph input is returned as fed.
   * @throws Error from onnxruntime (shape mismatch, missing input), naming the model.
   */
  run(feeds: Readonly<Record<string, RunnerTensor>>, fetch: readonly string[]): Promise<Record<string, RunnerTensor>>;
  /** Releases the session. */
  dispose(): Promise<void>;
}

export interface ModelRunnerOptions {
  /** The `onnxruntime-node` namespace. */
  readonly ort: OrtNamespace;
  /** A path to an `.onnx` file, or its bytes. */
  readonly model: string | Uint8Array;
  /** Name for messages when `model` is bytes. Default 'model.onnx'. */
  readonly file?: string;
  /** Threads inside one op. Default 2. */
  readonly intraOpThreads?: number;
  /** Extra values to expose as outputs beyond the weight-node inputs and the logits. */
  readonly extraOutputs?: readonly string[];
  /** Expose the weight-node inputs (default true); false runs the model with only its logits added. */
  readonly tapWeightInputs?: boolean;
}

const TYPE_NAMES = new Map<number, string>(Object.entries(ONNX_DTYPE).map(([k, v]) => [v, k.toLowerCase()]));

/**
 * Creates a runner for an ONNX model.
 * @throws ModelFileError naming the file when it cannot be read or decoded, has no graph or output, or
 * onnxruntime cannot load it (with onnxruntime's reason).
 */
export async function createModelRunner(options: ModelRunnerOptions): Promise<ModelRunner> {
  const file = typeof options.model === 'string' ? options.model : (options.file ?? 'model.onnx');
  let bytes: Uint8Array;
  try {
    bytes = typeof options.model === 'string' ? await readFile(options.model) : options.model;
  } catch (error) {
    throw new ModelFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  const model = decodeModelFile(bytes, file);
  const graph = model.graph;
  if (!graph || !graph.output?.length) throw new ModelFileError(file, 'has no graph or no graph output');
  const logits = findLogits(graph);
  const weightNodes = findWeightNodes(graph);
  const initialized = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const inputs: RunnerInput[] = (graph.input ?? [])
    .filter((i) => i.name && !initialized.has(i.name))
    .map((i) => ({
      name: i.name!,
      dims: (i.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : d.dimParam || null)),
      type: TYPE_NAMES.get(i.type?.tensorType?.elemType ?? 0) ?? 'undefined',
    }));
  const inputNames = new Set(inputs.map((i) => i.name));
  const outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const wanted = [
    logits.name,
    ...((options.tapWeightInputs ?? true) ? weightNodes.flatMap((n) => [n.activation, n.hiddenStates ?? '']) : []),
    ...(options.extraOutputs ?? []),
  ].filter((n) => n !== '' && !inputNames.has(n));
  const known = new Map<string, ValueInfoProto>();
  for (const v of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) if (v.name) known.set(v.name, v);
  const added: ValueInfoProto[] = [];
  for (const name of new Set(wanted)) {
    if (outputs.has(name)) continue;
    outputs.add(name);
    // Only the element type is declared: onnxruntime infers the shape, and symbolic dims stay free.
    const elemType = known.get(name)?.type?.tensorType?.elemType ?? ONNX_DTYPE.FLOAT;
    added.push({ name, type: { tensorType: { elemType } } });
  }
  const tapped = added.length === 0 ? bytes : encodeModel({ ...model, graph: { ...graph, output: [...(graph.output ?? []), ...added] } });
  const sessionOptions: OrtSessionOptions = {
    intraOpNumThreads: options.intraOpThreads ?? 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
  const { ort } = options;
  let session;
  try {
    session = await ort.InferenceSession.create(tapped, sessionOptions);
  } catch (error) {
    throw new ModelFileError(file, `onnxruntime cannot load it: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const live = session;
  return {
    inputs,
    logits,
    weightNodes,
    async run(feeds, fetch) {
      const ortFeeds: Record<string, OrtTensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor('float32', t.data, [...t.dims]);
      const names = [...new Set(fetch.filter((n) => !inputNames.has(n)))];
      let out: Record<string, OrtTensor>;
      try {
        out = (await live.run(ortFeeds, names)) as Record<string, OrtTensor>;
      } catch (error) {
        throw new ModelFileError(file, `onnxruntime failed to run it: ${(error as Error).message.split('\n')[0]}`, { cause: error });
      }
      const result: Record<string, RunnerTensor> = {};
      for (const name of fetch) {
        if (inputNames.has(name)) {
          if (!feeds[name]) throw new ModelFileError(file, `input "${name}" was fetched but not fed`);
          result[name] = feeds[name];
          continue;
        }
        const t = out[name];
        result[name] = { dims: t.dims.map(Number), data: asFloat32(t, name, file) };
      }
      return result;
    },
    async dispose() {
      await live.release();
    },
  };
}

function asFloat32(t: OrtTensor, name: string, file: string): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  if (t.data instanceof Float64Array || t.data instanceof Int32Array || t.data instanceof Uint8Array || t.data instanceof Int8Array) return Float32Array.from(t.data as ArrayLike<number>);
  throw new ModelFileError(file, `value "${name}" is ${t.type}, not a float tensor the analysis can read`);
}
