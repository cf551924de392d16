/**
 * A compiled graph on tfjs: nodes run one by one inside a `tf.tidy` scope, so every intermediate is freed
 * when the run ends; only outputs asked for with `keepResident` survive, as resident tensors.
 */
import {
  RunError,
  UnsupportedError,
  formatShape,
  isResident,
  type Executable,
  type Feed,
  type Graph,
  type Node,
  type OpAttrs,
  type RunOptions,
  type ValueInfo,
} from '@rank-collapse/backend';
import { toHostTensor, toTfTensor } from './host-conversion.js';
import { KERNELS, type KernelContext } from './kernels/index.js';
import type { Tf, TfTensor } from './tf-namespace.js';
import { unwrapResident, wrapResident } from './tfjs-resident.js';
import { ValueStore } from './value-store.js';

export class TfjsExecutable implements Executable {
  private readonly constants = new Map<string, TfTensor>();
  private disposed = false;

  constructor(
    private readonly tf: Tf,
    private readonly backendName: string,
    readonly graph: Graph,
  ) {
    for (const node of graph.nodes) {
      if (node.op !== 'Constant' && !KERNELS[node.op]) throw new UnsupportedError(backendName, `op ${node.op}`, `node "${node.name}"`);
    }
    // Constants are uploaded once and kept for the executable's life.
    for (const node of graph.nodes) {
      if (node.op === 'Constant') {
        const value = (node.attrs as OpAttrs['Constant']).value;
        this.constants.set(node.outputs[0], tf.keep(toTfTensor(tf, value, `Constant node "${node.name}"`)));
      }
    }
  }

  async run(feeds: Readonly<Record<string, Feed>>, options: RunOptions = {}): Promise<Record<string, Feed>> {
    if (this.disposed) throw new RunError(`graph "${this.graph.name}": executable was disposed`);
    const fetch = [...(options.fetch ?? this.graph.outputs)];
    for (const name of options.keepResident ?? []) if (!fetch.includes(name)) fetch.push(name);
    for (const name of fetch) if (!this.graph.values.has(name)) throw new RunError(`graph "${this.graph.name}" has no value "${name}" to fetch`);
    const keep = new Set(options.keepResident ?? []);
    const symbols = this.bindSymbols(feeds);
    const nodes = this.nodesFor(fetch);
    const tf = this.tf;

    const outputs = tf.tidy(() => {
      const values = new ValueStore(tf);
      const fed = new Set<TfTensor>();
      for (const info of [...this.graph.inputs, ...this.graph.params]) {
        const feed = feeds[info.name];
        const t = isResident(feed) ? unwrapResident(this.backendName, feed, `feed "${info.name}"`) : toTfTensor(tf, feed, `feed "${info.name}"`);
        fed.add(t);
        values.set(info.name, t);
      }
      for (const [name, t] of this.constants) values.set(name, t);
      for (const node of nodes) {
        if (node.op === 'Constant') continue;
        this.runNode(node, { tf, values, symbols });
      }
      // Outputs must own their tensor: clone those that alias a feed, a constant or another output.
      const taken = new Set<TfTensor>(this.constants.values());
      return fetch.map((name) => {
        let t = values.get(name);
        if (fed.has(t) || taken.has(t)) t = tf.clone(t);
        taken.add(t);
        return t;
      });
    });

    const result: Record<string, Feed> = {};
    await Promise.all(
      fetch.map(async (name, i) => {
        const dtype = this.graph.values.get(name)!.dtype;
        if (keep.has(name)) {
          result[name] = wrapResident(this.backendName, dtype, outputs[i]);
        } else {
          result[name] = await toHostTensor(outputs[i], dtype);
          outputs[i].dispose();
        }
      }),
    );
    return result;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.constants.values()) t.dispose();
    this.constants.clear();
  }

  private runNode(node: Node, ctx: KernelContext): void {
    try {
      KERNELS[node.op]!(ctx, node);
    } catch (error) {
      if (error instanceof RunError) throw error;
      const shapes = node.inputs.map((n) => (n && ctx.values.has(n) ? formatShape(ctx.values.shape(n)) : '∅')).join(', ');
      throw new RunError(`${node.op} node "${node.name}" failed on ${this.backendName} (inputs ${shapes}): ${(error as Error).message}`, { cause: error });
    }
  }

  /** Checks every input and param is fed with the declared dtype and static dims; binds symbolic dims. */
  private bindSymbols(feeds: Readonly<Record<string, Feed>>): Map<string, number> {
    const symbols = new Map<string, number>();
    const check = (info: ValueInfo) => {
      const feed = feeds[info.name];
      if (!feed) throw new RunError(`graph "${this.graph.name}": missing feed "${info.name}" (${info.dtype} ${formatShape(info.shape)})`);
      if (feed.dtype !== info.dtype) throw new RunError(`feed "${info.name}": dtype ${feed.dtype}, expected ${info.dtype}`);
      const bad = () => new RunError(`feed "${info.name}": shape ${formatShape(feed.shape)}, expected ${formatShape(info.shape)}`);
      if (feed.shape.length !== info.shape.length) throw bad();
      info.shape.forEach((d, i) => {
        const actual = feed.shape[i];
        if (typeof d === 'number') {
          if (d !== actual) throw bad();
        } else if ((symbols.get(d) ?? actual) !== actual) {
          throw new RunError(`feed "${info.name}": dim ${d} is ${actual} here but ${symbols.get(d)} in another feed`);
        } else {
          symbols.set(d, actual);
        }
      });
    };
    this.graph.inputs.forEach(check);
    this.graph.params.forEach(check);
    return symbols;
  }

  /** Nodes needed for the fetched values, in graph order. */
  private nodesFor(fetch: readonly string[]): Node[] {
    const needed = new Set(fetch);
    const chosen: Node[] = [];
    for (let i = this.graph.nodes.length - 1; i >= 0; i--) {
      const node = this.graph.nodes[i];
      if (!node.outputs.some((o) => needed.has(o))) continue;
      chosen.push(node);
      for (const input of node.inputs) if (input) needed.add(input);
    }
    return chosen.reverse();
  }
}
