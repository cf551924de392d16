import { readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReferenceFile } from '../pytorch/reference.test-helper.js';
import { readSafetensorsHeader } from './safetensors-header.js';
import { readSafetensorsTensor } from './read-safetensors-tensor.js';

const fixtures = join(import.meta.dirname, '__fixtures__');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')) as Record<string, ReferenceFile>;

describe('readSafetensorsTensor', () => {
  // One stored row per read: the chunked paths (half, bfloat16, transposed tables) cross chunk boundaries.
  for (const [name, tensor, transposed] of [
    ['mlp-conv.safetensors', 'embed.weight', true],
    ['dtypes.safetensors', 'half.weight', false],
    ['dtypes.safetensors', 'bf16.weight', false],
  ] as const) {
    it(`${name} ${tensor}, read a row at a time, equals the reference`, async () => {
      const path = join(fixtures, name);
      const handle = await open(path, 'r');
      try {
        const header = await readSafetensorsHeader(path, handle, statSync(path).size);
        const entry = header.entries.find((e) => e.name === tensor)!;
        const data = await readSafetensorsTensor(path, handle, entry, transposed, 1);
        expect(Array.from(data)).toEqual(reference[name].items.find((i) => i.name === tensor)!.data);
      } finally {
        await handle.close();
      }
    });
  }
});
