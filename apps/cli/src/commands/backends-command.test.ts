import { describe, expect, it } from 'vitest';
import { runCaptured } from '../__fixtures__/run-captured.js';
import type { BackendProbe } from '../backends/probe-backends.js';

describe('backends', () => {
  it('--json lists every backend; onnx and reference run here and onnx imports and exports', async () => {
    const { code, stdout } = await runCaptured(['backends', '--json']);
    expect(code).toBe(0);
    const probes = JSON.parse(stdout) as BackendProbe[];
    expect(probes.map((p) => p.backend)).toEqual(['onnx', 'tfjs', 'reference']);
    const onnx = probes.find((p) => p.backend === 'onnx')!;
    expect(onnx).toMatchObject({ available: true, importer: true, exporter: true });
    expect(onnx.device).toMatch(/onnxruntime-node/);
    expect(probes.find((p) => p.backend === 'reference')).toMatchObject({ available: true });
    for (const probe of probes) expect(probe.available ? probe.device : probe.reason).toBeTruthy();
  });

  it('prints a table otherwise', async () => {
    const { code, stdout } = await runCaptured(['backends']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^backend\s+available\s+import\/export\s+device or reason$/);
    expect(stdout).toMatch(/^onnx\s+yes\s+import\/export\s+onnxruntime-node/m);
  });
});
