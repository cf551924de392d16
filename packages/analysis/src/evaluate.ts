/** Accuracy and mean cross-entropy of a classifier graph on a dataset, streamed in batches through a backend. */
import { GraphError, float32, type Backend, type Feed, type Graph, type HostTensor, type ResidentTensor } from '@rank-collapse/backend';
import type { Dataset } from '@rank-collapse/datasets';

export interface EvaluateOptions {
  readonly backend: Backend;
  readonly graph: Graph;
  readonly params: ReadonlyMap<string, HostTensor>;
  readonly data: Dataset;
  /** Default 1000. */
  readonly batchSize?: number;
  /** Data input name. Default: the graph's first input. */
  readonly input?: string;
  /** Logits name. Default: the graph's first output. */
  readonly logits?: string;
}

/**
 * Share of samples whose argmax logit equals the label.
 * @throws GraphError if the samples do not fit the model input.
 */
export async function evaluateAccuracy(options: EvaluateOptions): Promise<number> {
  const { backend, graph, params, data } = options;
  const inputName = options.input ?? graph.inputs[0]?.name;
  const logitsName = options.logits ?? graph.outputs[0];
  const info = graph.inputs.find((i) => i.name === inputName);
  if (!info) throw new GraphError(`evaluate: graph "${graph.name}" has no input "${inputName}"`);
  const sampleShape = info.shape.slice(1) as number[];
  const sampleSize = sampleShape.reduce((p, d) => p * d, 1);
  if (sampleSize !== data.sampleShape.reduce((p, d) => p * d, 1)) {
    throw new GraphError(`evaluate: dataset "${data.name}" has samples of shape [${data.sampleShape}] but model input "${inputName}" expects [${sampleShape}]`);
  }
  const executable = await backend.compile(graph);
  const resident = new Map<string, ResidentTensor>();
  try {
    for (const p of graph.params) {
      const value = params.get(p.name);
      if (!value) throw new GraphError(`evaluate: no value for parameter "${p.name}"`);
      resident.set(p.name, backend.upload(value));
    }
    const batchSize = options.batchSize ?? 1000;
    let correct = 0;
    for (let start = 0; start < data.size; start += batchSize) {
      const rows = Math.min(batchSize, data.size - start);
      const feeds: Record<string, Feed> = { [inputName]: float32([rows, ...sampleShape], data.x.subarray(start * sampleSize, (start + rows) * sampleSize)) };
      for (const [name, t] of resident) feeds[name] = t;
      const out = await executable.run(feeds, { fetch: [logitsName] });
      const logits = (out[logitsName] as HostTensor).data;
      const K = logits.length / rows;
      for (let i = 0; i < rows; i++) {
        let best = 0;
        for (let k = 1; k < K; k++) if (Number(logits[i * K + k]) > Number(logits[i * K + best])) best = k;
        if (best === data.y[start + i]) correct++;
      }
    }
    return correct / data.size;
  } finally {
    for (const t of resident.values()) backend.dispose(t);
    executable.dispose();
  }
}
