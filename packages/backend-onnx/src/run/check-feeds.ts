/** Validates feeds against the graph before they reach the runtime, whose messages do not name our values. */
import { RunError, formatShape, isResident, type Feed, type Graph, type ValueInfo } from '@rank-collapse/backend';

/**
 * Every input and param fed, with its dtype and rank, static dims equal, and each symbolic dim one size.
 * Returns the size of each symbolic dim.
 * @throws RunError naming the first missing or mistyped feed.
 */
export function checkFeeds(graph: Graph, feeds: Readonly<Record<string, Feed>>, expected: readonly ValueInfo[]): Map<string, number> {
  const symbols = new Map<string, [number, string]>();
  for (const info of expected) {
    const feed = feeds[info.name];
    const where = `graph "${graph.name}": feed "${info.name}"`;
    if (feed === undefined) throw new RunError(`${where} is missing (expects ${info.dtype} ${formatShape(info.shape)})`);
    if (feed.dtype !== info.dtype) throw new RunError(`${where} has dtype ${feed.dtype}, expected ${info.dtype}`);
    const shape = feed.shape;
    const bad = () => new RunError(`${where} has shape ${formatShape(shape)}, expected ${formatShape(info.shape)}`);
    if (shape.length !== info.shape.length) throw bad();
    info.shape.forEach((d, i) => {
      if (typeof d === 'number') {
        if (shape[i] !== d) throw bad();
        return;
      }
      const seen = symbols.get(d);
      if (!seen) symbols.set(d, [shape[i], info.name]);
      else if (seen[0] !== shape[i]) throw new RunError(`${where}: dim ${d} is ${shape[i]} here but ${seen[0]} in feed "${seen[1]}"`);
    });
    if (!isResident(feed) && feed.data.length !== shape.reduce((p, x) => p * x, 1)) throw new RunError(`${where}: ${feed.data.length} elements do not fill shape ${formatShape(shape)}`);
  }
  return new Map([...symbols].map(([k, [size]]) => [k, size]));
}
