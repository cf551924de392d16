/** loadTfjs: the order of preference, the report of failures, and the wasm files read from disk. */
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '@rank-collapse/backend';
import { createTfjsBackend } from './create-tfjs-backend.js';
import { loadTfjs } from './load-tfjs.js';

describe('loadTfjs', () => {
  it('falls back past tfjs-node when its native binding is missing and says why', async () => {
    const loaded = await loadTfjs({ prefer: ['node', 'wasm'] });
    if (loaded.flavor === 'node') {
      // A machine with libtensorflow: nothing failed.
      expect(loaded.failures).toEqual([]);
      return;
    }
    expect(loaded.flavor).toBe('wasm');
    expect(loaded.failures.map((f) => f.flavor)).toEqual(['node']);
    expect(loaded.failures[0].reason).toMatch(/tfjs[-_]node|tfjs_binding|Cannot find/i);
    expect(loaded.description).toMatch(/^tfjs wasm \(SIMD on, 1 thread\); node failed: /);
    expect(loaded.tf.getBackend()).toBe('wasm');
    const backend = createTfjsBackend({ tf: loaded.tf });
    expect(backend.name).toBe('tfjs-wasm');
    expect(backend.device).toMatch(/TensorFlow\.js 4\.22\.\d+, wasm backend/);
  });

  it('switches to the cpu backend on request', async () => {
    const loaded = await loadTfjs({ prefer: ['cpu'] });
    expect(loaded).toMatchObject({ flavor: 'cpu', failures: [] });
    expect(loaded.tf.getBackend()).toBe('cpu');
    expect(createTfjsBackend({ tf: loaded.tf }).name).toBe('tfjs-cpu');
  });

  it('lists every failure together when nothing loads', async () => {
    const error = await loadTfjs({ prefer: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const node = await loadTfjs({ prefer: ['node'] }).catch((e: unknown) => e);
    if (node instanceof BackendUnavailableError) expect(node.message).toMatch(/^tfjs is not available: node: /);
  });

  it('refuses to run after the active tf backend was switched under it', async () => {
    const { tf } = await loadTfjs({ prefer: ['wasm'] });
    const backend = createTfjsBackend({ tf });
    await tf.setBackend('cpu');
    await expect(backend.compile({ name: 'g', inputs: [], params: [], nodes: [], outputs: [], values: new Map() })).rejects.toThrow(/changed from "wasm" to "cpu"/);
  });
});
