import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PickleDict, PickleSet, type PickleValue } from './pickle-values.js';
import { PickleRefusal, unpickle } from './restricted-unpickler.js';

const fixtures = join(import.meta.dirname, '__fixtures__');
const expected = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8')).plain as unknown;

/** The unpickled value as JSON-like data: dicts as objects, sets sorted, bytes as byte lists, big ints as strings. */
function plain(value: PickleValue): unknown {
  if (value instanceof PickleDict) return Object.fromEntries([...value.entries].map(([k, v]) => [String(k), plain(v)]));
  if (value instanceof PickleSet) return value.items.map(plain).sort();
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'bigint') return String(value);
  return value;
}

describe('unpickle', () => {
  for (const protocol of [2, 4]) {
    it(`builds the plain containers Python pickled with protocol ${protocol}`, () => {
      const value = unpickle(readFileSync(join(fixtures, `plain-protocol${protocol}.pkl`)));
      expect(plain(value)).toEqual(expected);
      expect(Object.is((plain(value) as { nested: { a: number[] } }).nested.a[1], -0)).toBe(true);
    });
  }

  it('refuses a STACK_GLOBAL (protocol 4) of os.system by name', () => {
    expect(() => unpickle(readFileSync(join(fixtures, 'stack-global-os-system.pkl')))).toThrow(
      new PickleRefusal('refuses global posix.system (os.system): only tensors, storages and plain containers are read'),
    );
  });

  it('refuses object-building opcodes, truncation and lengths past the end', () => {
    // PROTO 2, INST 'os\nsystem\n'
    expect(() => unpickle(Uint8Array.from([0x80, 2, 0x69, ...Buffer.from('os\nsystem\n'), 0x2e]))).toThrow(/refuses opcode INST \(0x69\) at byte 2/);
    // BINUNICODE claiming 2³²−1 bytes in a 7-byte pickle: refused before any allocation.
    expect(() => unpickle(Uint8Array.from([0x80, 2, 0x58, 0xff, 0xff, 0xff, 0xff]))).toThrow(/truncated or oversized: 4294967295 bytes wanted at byte 7 of 7/);
    expect(() => unpickle(Uint8Array.from([0x80, 2, 0x5d]))).toThrow(/truncated/);
    expect(() => unpickle(Uint8Array.from([0x80, 2, 0x68, 5, 0x2e]))).toThrow(/memo entry 5 read before it was written/);
  });
});
