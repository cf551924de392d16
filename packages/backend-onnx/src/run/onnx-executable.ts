/** An IR graph compiled to one onnxruntime InferenceSession, run many times with resident params. */
import { RunError, type Feed, type Graph, type RunOptions, type Executable } from '@rank-collapse/backend';
import type { OrtNamespace, OrtSession, OrtTensor } from '../ort-namespace.js';
import { checkFeeds } from './check-feeds.js';
import { OnnxResidentTensor } from './onnx-resident.js';
import { dtypeOf, feedTensor, fromOrtTensor } from './ort-tensors.js';

export class OnnxExecutable implements Executable {
  #session: OrtSession | undefined;
  private readonly expected;
  private readonly outputSet: ReadonlySet<string>;

  constructor(
    readonly graph: Graph,
    private readonly ort: OrtNamespace,
    session: OrtSession,
    /** IR output name → ONNX output name. */
    private readonly outputNames: ReadonlyMap<string, string>,
  ) {
    this.#session = session;
    this.expected = [...graph.inputs, ...graph.params];
    this.outputSet = new Set(graph.outputs);
  }

  async run(feeds: Readonly<Record<string, Feed>>, options: RunOptions = {}): Promise<Record<string, Feed>> {
    const session = this.#session;
    if (!session) throw new RunError(`graph "${this.graph.name}": executable was disposed`);
    checkFeeds(this.graph, feeds, this.expected);
    const fetch = options.fetch ?? this.graph.outputs;
    for (const name of [...fetch, ...(options.keepResident ?? [])]) {
      if (!this.outputSet.has(name)) throw new RunError(`graph "${this.graph.name}": "${name}" is not an output (outputs: ${this.graph.outputs.join(', ')})`);
    }
    const keep = new Set(options.keepResident ?? []);
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const info of this.expected) ortFeeds[info.name] = feedTensor(this.ort, feeds[info.name], `graph "${this.graph.name}": feed "${info.name}"`);

    let results: Record<string, OrtTensor>;
    try {
      results = (await session.run(ortFeeds, fetch.map((n) => this.outputNames.get(n)!))) as Record<string, OrtTensor>;
    } catch (error) {
      throw new RunError(`graph "${this.graph.name}": onnxruntime failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const out: Record<string, Feed> = {};
    for (const name of fetch) {
      const t = results[this.outputNames.get(name)!];
      const what = `graph "${this.graph.name}": output "${name}"`;
      out[name] = keep.has(name) ? new OnnxResidentTensor(dtypeOf(t, what), [...t.dims], t) : fromOrtTensor(t, what);
    }
    return out;
  }

  dispose(): void {
    const session = this.#session;
    this.#session = undefined;
    // release() is async; nothing waits for it, and errors on an already released session are irrelevant.
    session?.release().catch(() => undefined);
  }
}
