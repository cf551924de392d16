/** The float64 reference backend: the executable definition of every op and the oracle of the conformance suite. */
import { isResident, SPECIFICATION_VERSION, type Backend, type Executable, type Feed, type ResidentTensor } from '../../backend.js';
import { RunError } from '../../errors.js';
import { checked } from '../../host-tensor.js';
import type { Graph, HostTensor } from '../../ir/types.js';
import { bindFeeds } from './bind-feeds.js';
import { checkGraph } from './check-graph.js';
import { interpret, nodesFor } from './interpret.js';
import { ResidentStore } from './resident-store.js';
import { fromHost, toHost } from './tensor.js';

const NAME = 'reference';

/** A reference backend with its resident-tensor count exposed for leak checks. */
export interface ReferenceBackend extends Backend {
  /** Resident tensors uploaded or kept and not yet disposed. */
  readonly liveResidentCount: number;
}

/**
 * Creates the float64 reference interpreter. It computes every op of OPS exactly as its doc says, in float64
 * (float32 tensors come back with Float64Array data), resolving symbolic dims from the feeds at run time.
 * Slow by design (plain loops, no blocking) but fast enough for small training steps.
 * `compile` throws GraphError for an inconsistent graph; `run` throws RunError naming a missing or
 * mistyped feed, an unknown fetch or the failing node.
 */
export function createReferenceBackend(): ReferenceBackend {
  const residents = new ResidentStore(NAME);

  async function compile(graph: Graph): Promise<Executable> {
    checkGraph(graph);
    let disposed = false;
    return {
      graph,
      async run(feeds, options = {}) {
        if (disposed) throw new RunError(`graph "${graph.name}": executable was disposed`);
        const fetch = options.fetch ?? graph.outputs;
        for (const name of fetch) if (!graph.outputs.includes(name)) throw new RunError(`graph "${graph.name}": fetch "${name}" is not a graph output (outputs: ${graph.outputs.join(', ')})`);
        const keep = new Set(options.keepResident ?? []);
        for (const name of keep) if (!fetch.includes(name)) throw new RunError(`graph "${graph.name}": keepResident "${name}" is not fetched`);
        const { values, symbols } = bindFeeds(graph, feeds, residents);
        interpret(graph, nodesFor(graph, fetch), values, symbols);
        const result: Record<string, Feed> = {};
        for (const name of fetch) {
          const t = values.get(name)!;
          result[name] = keep.has(name) ? residents.add(t) : toHost(t);
        }
        return result;
      },
      dispose() {
        disposed = true;
      },
    };
  }

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: NAME,
    device: 'float64 interpreter (host)',
    compile,
    upload(tensor: HostTensor): ResidentTensor {
      try {
        return residents.add(fromHost(checked(tensor, 'upload')));
      } catch (error) {
        throw new RunError(error instanceof Error ? error.message : String(error), { cause: error });
      }
    },
    async download(tensor: Feed): Promise<HostTensor> {
      return isResident(tensor) ? toHost(residents.get(tensor, 'download')) : tensor;
    },
    dispose(tensor: ResidentTensor): void {
      residents.dispose(tensor);
    },
    get liveResidentCount() {
      return residents.live;
    },
    async close() {},
  };
}
