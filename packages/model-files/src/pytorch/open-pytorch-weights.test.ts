import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelFileError } from '@rank-collapse/backend';
import { describe, expect, it } from 'vitest';
import { openWeightFile } from '../open-weight-file.js';
import { openPytorchWeights } from './open-pytorch-weights.js';
import { collect, expectItemsMatch, type ReferenceFile } from './reference.test-helper.js';

const fixtures = join(import.meta.dirname, '__fixtures__');
const reference = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')) as Record<string, ReferenceFile>;
/** What the malicious pickles' payloads would create (scripts/torch-fixtures.py). */
const PAYLOAD_FILE = '/tmp/rank-collapse-pickle-payload-ran';

describe('openPytorchWeights on files torch.save wrote', () => {
  for (const name of ['mlp-conv.pt', 'checkpoint.pt', 'views.pt', 'dtypes.pt', 'big-endian.pt']) {
    it(`${name}: the matrices and skipped tensors of the numpy reference, exactly`, async () => {
      const file = await openWeightFile(join(fixtures, name));
      expect(file.format).toBe('pytorch');
      expect(file.outputWidth).toBe(reference[name].outputWidth);
      expectItemsMatch(await collect(file), reference[name]);
    });
  }

  it('names the producer, reads float16 and bfloat16 as float32 and keeps float64', async () => {
    const file = await openPytorchWeights(join(fixtures, 'dtypes.pt'), {});
    expect(file.producer).toBe('pytorch (torch.save archive version 3)');
    const items = await collect(file);
    const types = Object.fromEntries(items.map((i) => [i.name, i.kind === 'matrix' ? i.data.constructor.name : null]));
    expect(types).toEqual({ 'half.weight': 'Float32Array', 'bf16.weight': 'Float32Array', 'double.weight': 'Float64Array', 'param.weight': 'Float32Array' });
  });

  it('skips the optimizer state of a checkpoint as a whole and says why; the epoch is no item', async () => {
    const items = await collect(await openPytorchWeights(join(fixtures, 'checkpoint.pt'), {}));
    const optimizer = items.find((i) => i.name === 'optimizer');
    // SGD with momentum: one momentum buffer per parameter (11 parameters in the fixture).
    expect(optimizer).toMatchObject({ kind: 'skipped', reason: 'optimizer state (11 tensors): not model weights' });
    expect(items.some((i) => i.name.startsWith('epoch'))).toBe(false);
    expect(items.find((i) => i.name === 'model.bn1.num_batches_tracked')).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('I64') });
  });

  it('stops between tensors when the signal aborts', async () => {
    const controller = new AbortController();
    const file = await openPytorchWeights(join(fixtures, 'mlp-conv.pt'), { signal: controller.signal });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of file.items()) {
          seen.push(item.name);
          controller.abort();
        }
      })(),
    ).rejects.toThrow(/abort/i);
    expect(seen).toEqual(['embed.weight']);
  });
});

describe('openPytorchWeights refuses malicious pickles, running nothing', () => {
  const cases = [
    ['evil-os-system.pt', 'refuses global posix.system (os.system): only tensors, storages and plain containers are read'],
    ['evil-eval.pt', 'refuses global builtins.eval (written __builtin__.eval): only tensors, storages and plain containers are read'],
    ['evil-popen.pt', 'refuses global subprocess.Popen (written commands.Popen): only tensors, storages and plain containers are read'],
  ] as const;
  for (const [name, message] of cases) {
    it(`${name}: refused by the global's name, and the payload's file does not exist`, async () => {
      const file = join(fixtures, name);
      const error = await openWeightFile(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFileError);
      expect((error as Error).message).toBe(`${file}: ${name.replace('.pt', '')}/data.pkl ${message}`);
      expect(existsSync(PAYLOAD_FILE)).toBe(false);
    });
  }
});

describe('openPytorchWeights refuses archives that lie about their storages', () => {
  const cases = [
    ['lying-storage.pt', 'tensor "fc.weight": storage lying/data/0 holds 24 bytes, but the pickle claims 1000000000000 elements of 4 bytes'],
    ['lying-shape.pt', 'tensor "fc.weight": shape [1000000, 1000000] has 1000000000000 elements but its storage lying/data/0 holds 6 (overlapping strides are not read)'],
    ['lying-view.pt', 'tensor "fc.weight": offset 4, shape [2, 3] and strides [3, 1] reach element 9 of storage lying/data/0, which holds 6'],
  ] as const;
  for (const [name, message] of cases) {
    it(`${name}: refused at open, naming the tensor`, async () => {
      const file = join(fixtures, name);
      await expect(openPytorchWeights(file, {})).rejects.toThrow(new ModelFileError(file, message));
    });
  }

  it('a TorchScript archive is refused with what to save instead', async () => {
    const file = join(fixtures, 'torchscript.pt');
    await expect(openWeightFile(file)).rejects.toThrow(`${file}: is a TorchScript archive (torch.jit.save), whose pickles name the scripted classes; save model.state_dict() with torch.save, or as safetensors`);
  });

  it('a truncated archive is a ModelFileError naming the file', async () => {
    const file = join(fixtures, 'truncated.pt');
    await expect(openPytorchWeights(file, {})).rejects.toThrow(/truncated\.pt: is not a readable zip archive/);
  });
});
