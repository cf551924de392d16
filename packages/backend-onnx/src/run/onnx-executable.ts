/** An IR graph compiled to one onnxruntime InferenceSession, run many times with resident params. */
import { RunError, type Feed, type Graph, type RunOptions, type Executable } from '@rank-collapse/backend';
import type { OrtNamespace, OrtSession, OrtTensor } from '../ort-namespace.js';
import { checkFeeds } from './check-feeds.js';
import { OnnxResidentTensor } from './onnx-resident.js';
import type { ResidentPool } from './resident-pool.js';
import { dtypeOf, feedTensor, fromOrtTensor } from './ort-tensors.js';

export class OnnxExecutable implements Executable {
  #session: OrtSession | undefined;
  private readonly expected;
  private readonly outputSet: ReadonlySet<string>;

  constructor(
    readonly graph: Graph,
    private readonly ort: OrtNamespace,
    session: OrtSession,
    /** Gives the (shared) session back; called once on dispose. */
    private readonly releaseSession: () => void,
    /** IR output name → ONNX output name. */
    private readonly outputNames: ReadonlyMap<string, string>,
    /** Recycled buffers for resident outputs (see ResidentPool). */
    private readonly pool?: ResidentPool,
  ) {
    this.#session = session;
    this.expected = [...graph.inputs, ...graph.params];
    this.outputSet = new Set(graph.outputs);
  }

  async run(feeds: Readonly<Record<string, Feed>>, options: RunOptions = {}): Promise<Record<string, Feed>> {
    const session = this.#session;
    if (!session) throw new RunError(`graph "${this.graph.name}": executable was disposed`);
    const symbols = checkFeeds(this.graph, feeds, this.expected);
    const fetch = options.fetch ?? this.graph.outputs;
    for (const name of [...fetch, ...(options.keepResident ?? [])]) {
      if (!this.outputSet.has(name)) throw new RunError(`graph "${this.graph.name}": "${name}" is not an output (outputs: ${this.graph.outputs.join(', ')})`);
    }
    const keep = new Set(options.keepResident ?? []);
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const info of this.expected) ortFeeds[info.name] = feedTensor(this.ort, feeds[info.name], `graph "${this.graph.name}": feed "${info.name}"`);

    // Resident outputs go into recycled buffers when the pool has one of their shape; others are allocated.
    const fetches: Record<string, OrtTensor | null> = {};
    for (const name of fetch) fetches[this.outputNames.get(name)!] = keep.has(name) ? this.recycled(name, symbols) : null;
    let results: Record<string, OrtTensor>;
    try {
      results = (await session.run(ortFeeds, fetches)) as Record<string, OrtTensor>;
    } catch (error) {
      throw new RunError(`graph "${this.graph.name}": onnxruntime failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const out: Record<string, Feed> = {};
    for (const name of fetch) {
      // A pre-allocated output holds the result itself; onnxruntime-node returns a copy of it besides.
      const t = fetches[this.outputNames.get(name)!] ?? results[this.outputNames.get(name)!];
      const what = `graph "${this.graph.name}": output "${name}"`;
      out[name] = keep.has(name) ? new OnnxResidentTensor(dtypeOf(t, what), [...t.dims], t, this.pool) : fromOrtTensor(t, what);
    }
    return out;
  }

  private recycled(name: string, symbols: ReadonlyMap<string, number>): OrtTensor | null {
    if (!this.pool) return null;
    const type = this.graph.values.get(name)!;
    const shape = type.shape.map((d) => (typeof d === 'number' ? d : symbols.get(d)));
    if (shape.some((d) => d === undefined)) return null;
    return this.pool.take(type.dtype, shape as number[]) ?? null;
  }

  dispose(): void {
    if (!this.#session) return;
    this.#session = undefined;
    this.releaseSession();
  }
}
