/** Compile, run once, download every fetched output, dispose: the common path of tests. */
import type { Backend, Feed, RunOptions } from '../backend.js';
import type { Graph, HostTensor } from '../ir/types.js';

/**
 * Runs `graph` once on `backend` and returns its fetched outputs as host tensors.
 * @throws whatever compile or run throws (GraphError, UnsupportedError, RunError).
 */
export async function runOnce(backend: Backend, graph: Graph, feeds: Readonly<Record<string, Feed>>, options: Pick<RunOptions, 'fetch'> = {}): Promise<Record<string, HostTensor>> {
  const executable = await backend.compile(graph);
  try {
    const outputs = await executable.run(feeds, options);
    const host: Record<string, HostTensor> = {};
    for (const [name, value] of Object.entries(outputs)) host[name] = await backend.download(value);
    return host;
  } finally {
    executable.dispose();
  }
}
