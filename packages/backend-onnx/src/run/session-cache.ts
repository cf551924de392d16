/**
 * One onnxruntime session per (graph, static-dim overrides), shared by every executable compiled from the
 * same graph object and released when the last of them is disposed: compiling a graph again is free.
 */
import type { Graph } from '@rank-collapse/backend';
import type { OrtSession } from '../ort-namespace.js';

interface Entry {
  readonly session: Promise<OrtSession>;
  users: number;
}

export class SessionCache {
  private readonly byGraph = new WeakMap<Graph, Map<string, Entry>>();

  /**
   * The shared session for `graph` and `key`, created by `create` on first use.
   * Returns the session and the release function the executable calls once on dispose.
   */
  async acquire(graph: Graph, key: string, create: () => Promise<OrtSession>): Promise<{ session: OrtSession; release: () => void }> {
    let entries = this.byGraph.get(graph);
    if (!entries) this.byGraph.set(graph, (entries = new Map()));
    let entry = entries.get(key);
    if (!entry) {
      entry = { session: create(), users: 0 };
      entries.set(key, entry);
    }
    entry.users++;
    const current = entry;
    let session: OrtSession;
    try {
      session = await current.session;
    } catch (error) {
      if (entries.get(key) === current) entries.delete(key);
      throw error;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (--current.users > 0) return;
      if (entries!.get(key) === current) entries!.delete(key);
      // release() is async; nothing waits for it, and a failure to free a finished session changes nothing.
      session.release().catch(() => undefined);
    };
    return { session, release };
  }
}
