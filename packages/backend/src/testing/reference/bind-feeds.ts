/** Checks run-time feeds against a graph's declared inputs and params and binds its symbolic dims. */
import { isResident, type Feed } from '../../backend.js';
import { RunError } from '../../errors.js';
import { checked } from '../../host-tensor.js';
import { formatShape } from '../../ir/shape.js';
import type { Graph, ValueInfo } from '../../ir/types.js';
import type { ResidentStore } from './resident-store.js';
import { fromHost, type ReferenceTensor } from './tensor.js';

export interface BoundFeeds {
  readonly values: Map<string, ReferenceTensor>;
  /** Symbolic dim → its size in this run. */
  readonly symbols: Map<string, number>;
}

const describe = (t: { dtype: string; shape: readonly (number | string)[] }): string => `${t.dtype} ${formatShape(t.shape)}`;

/**
 * Every input and param must be fed with its dtype, rank and static dims; each symbolic dim takes one size
 * across all feeds. Host feeds are copied (float32 widened to float64), resident ones looked up.
 * @throws RunError naming the feed, what was expected and what it got.
 */
export function bindFeeds(graph: Graph, feeds: Readonly<Record<string, Feed>>, residents: ResidentStore): BoundFeeds {
  const values = new Map<string, ReferenceTensor>();
  const symbols = new Map<string, number>();
  const boundBy = new Map<string, string>();
  const declared: readonly ValueInfo[] = [...graph.inputs, ...graph.params];
  for (const info of declared) {
    const what = `graph "${graph.name}": feed "${info.name}"`;
    const feed = feeds[info.name];
    if (feed === undefined) throw new RunError(`${what} is missing (expected ${describe(info)})`);
    let tensor: ReferenceTensor;
    if (isResident(feed)) tensor = residents.get(feed, what);
    else {
      try {
        tensor = fromHost(checked(feed, what));
      } catch (error) {
        throw new RunError(error instanceof Error ? error.message : String(error), { cause: error });
      }
    }
    const mismatch = (): RunError => new RunError(`${what}: expected ${describe(info)}, got ${describe(tensor)}`);
    if (tensor.dtype !== info.dtype || tensor.shape.length !== info.shape.length) throw mismatch();
    info.shape.forEach((dim, i) => {
      const size = tensor.shape[i];
      if (typeof dim === 'number') {
        if (dim !== size) throw mismatch();
        return;
      }
      const bound = symbols.get(dim);
      if (bound === undefined) {
        symbols.set(dim, size);
        boundBy.set(dim, info.name);
      } else if (bound !== size) {
        throw new RunError(`${what}: expected ${describe(info)} with ${dim} = ${bound} (from feed "${boundBy.get(dim)}"), got ${describe(tensor)}`);
      }
    });
    values.set(info.name, tensor);
  }
  return { values, symbols };
}
