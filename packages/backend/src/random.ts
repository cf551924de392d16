/**
 * Seeded pseudo-random numbers shared by every package (initialization, shuffling, synthetic data, tests):
 * the same seed gives the same stream on every machine and backend.
 */
export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A new independent stream derived from this one (for splitting work without changing other streams). */
  fork(): Rng;
}

/** splitmix64 step on a BigInt state; returns [next state, 64-bit output]. */
function splitmix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return [next, z ^ (z >> 31n)];
}

/**
 * Creates a seeded generator (xoshiro128** seeded through splitmix64). `seed` is any finite integer or a string.
 * @throws TypeError if the seed is not a finite number or a string.
 */
export function createRng(seed: number | string): Rng {
  let state: bigint;
  if (typeof seed === 'string') {
    let h = 0xcbf29ce484222325n;
    for (let i = 0; i < seed.length; i++) h = ((h ^ BigInt(seed.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
    state = h;
  } else if (Number.isFinite(seed)) {
    state = BigInt.asUintN(64, BigInt(Math.trunc(seed)));
  } else {
    throw new TypeError(`createRng: seed must be a finite number or a string, got ${String(seed)}`);
  }
  const s = new Uint32Array(4);
  for (let i = 0; i < 2; i++) {
    let out: bigint;
    [state, out] = splitmix64(state);
    s[2 * i] = Number(out & 0xffffffffn);
    s[2 * i + 1] = Number(out >> 32n);
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return fromState(s);
}

function fromState(s: Uint32Array): Rng {
  let spareNormal: number | undefined;
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  return {
    uniform,
    normal() {
      if (spareNormal !== undefined) {
        const v = spareNormal;
        spareNormal = undefined;
        return v;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(n: number) {
      if (!(n > 0) || !Number.isInteger(n)) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
      return Math.floor(uniform() * n);
    },
    fork() {
      const child = new Uint32Array([next32(), next32(), next32(), next32()]);
      if ((child[0] | child[1] | child[2] | child[3]) === 0) child[0] = 1;
      return fromState(child);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Fisher–Yates permutation of 0..n-1 drawn from `rng`. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
