import { describe, expect, it } from 'vitest';
import { checkpointTensors } from './checkpoint-tensors.js';
import { unpickle } from './restricted-unpickler.js';

const bytes = (...parts: (number | string)[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...Buffer.from(p, 'latin1')])));

describe('checkpointTensors', () => {
  it('ends on a list that contains itself (pickle.dumps of a = []; a.append(a))', () => {
    const cyclic = unpickle(bytes(0x80, 2, ']q\x00h\x00a.'));
    expect(checkpointTensors(cyclic)).toEqual([]);
  });

  it('refuses nesting deeper than 32 levels instead of recursing without bound', () => {
    const deep = unpickle(bytes(0x80, 2, ']'.repeat(40), 'a'.repeat(39), '.'));
    expect(() => checkpointTensors(deep)).toThrow(/nested deeper than 32 levels/);
  });

  it('bounds the walk of a tuple shared many times over (2^24 paths in 24 levels)', () => {
    // t1 = (a, a), t2 = (t1, t1), …: every level doubles the paths through the same tuples (POP drops the previous one).
    let pickle = '\x80\x02]q\x00';
    for (let i = 1; i <= 24; i++) pickle += `0h${String.fromCharCode(i - 1)}h${String.fromCharCode(i - 1)}\x86q${String.fromCharCode(i)}`;
    pickle += '.';
    const shared = unpickle(bytes(pickle));
    expect(() => checkpointTensors(shared)).toThrow(/more than 1000000 values/);
  });
});
