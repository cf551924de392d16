import { BackendUnavailableError, type Backend } from '@rank-collapse/backend';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../exit-codes.js';
import { NoBackendError, createBackendCache, selectBackend } from './select-backend.js';

const fake = (name: string): Backend => ({ name, device: 'test' }) as unknown as Backend;

describe('selectBackend', () => {
  it('auto takes onnx when it starts', async () => {
    const tried: string[] = [];
    const backend = await selectBackend('auto', {}, async (name) => (tried.push(name), fake(name)));
    expect(backend.name).toBe('onnx');
    expect(tried).toEqual(['onnx']);
  });

  it('auto falls back to tfjs when onnx cannot start', async () => {
    const backend = await selectBackend('auto', {}, async (name) => {
      if (name === 'onnx') throw new BackendUnavailableError('onnx', 'cannot load onnxruntime-node (binding missing)');
      return fake(name);
    });
    expect(backend.name).toBe('tfjs');
  });

  it('reports every failure together, with exit code 4', async () => {
    const error = await selectBackend('auto', {}, async (name) => {
      throw new BackendUnavailableError(name, `${name} reason`);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoBackendError);
    const e = error as NoBackendError;
    expect(e.exitCode).toBe(EXIT_CODES.backendUnavailable);
    expect(e.failures).toEqual([
      { backend: 'onnx', reason: 'onnx reason' },
      { backend: 'tfjs', reason: 'tfjs reason' },
    ]);
    expect(e.message).toBe('no backend can run here:\n  onnx: onnx reason\n  tfjs: tfjs reason\n(run `rank-collapse backends` for details)');
  });

  it('a named backend is tried alone', async () => {
    const error = (await selectBackend('tfjs', {}, async () => {
      throw new Error('wasm files missing');
    }).catch((e: unknown) => e)) as NoBackendError;
    expect(error.failures).toEqual([{ backend: 'tfjs', reason: 'wasm files missing' }]);
  });

  it('starts the real reference backend', async () => {
    expect((await selectBackend('reference')).name).toBe('reference');
  });

  it('the cache starts each backend once per process', async () => {
    const backends = createBackendCache();
    const [a, b] = await Promise.all([backends('reference'), backends('reference')]);
    expect(a).toBe(b);
  });
});
