/**
 * Seeded pseudo-random streams for data work (splits, synthetic data, the training sampler).
 * xoshiro128** over four uint32 words, seeded by splitmix32 from (seed, stream name), so each named
 * stream is independent of the others and its whole state is four integers (serializable).
 * Never Math.random: every run with the same seed gives the same bits on every platform.
 */
import { MmgError } from '../errors';

export type PrngState = [number, number, number, number];

function splitmix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [x, (z ^ (z >>> 16)) >>> 0];
}

/** FNV-1a of the stream name: different names give unrelated seeds. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** seed: any safe integer (both 32-bit halves are used); stream: a name such as 'shuffle'. */
  constructor(seed: number, stream = '') {
    if (!Number.isSafeInteger(seed)) throw new MmgError(`prng: expected a safe integer seed, got ${seed}`, 'MMG_E_ARG');
    const hi = Math.floor(seed / 2 ** 32) | 0;
    let x = (seed | 0) ^ Math.imul(hashName(stream), 0x27d4eb2d) ^ Math.imul(hi, 0x165667b1);
    const w: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [nx, out] = splitmix32(x);
      x = nx;
      w.push(out);
    }
    if ((w[0] | w[1] | w[2] | w[3]) === 0) w[0] = 1; // the all-zero state is a fixed point
    [this.s0, this.s1, this.s2, this.s3] = w;
  }

  static fromState(state: PrngState): Prng {
    if (!Array.isArray(state) || state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff))
      throw new MmgError(`prng: expected a state of four uint32 values, got ${JSON.stringify(state)}`, 'MMG_E_ARG');
    const p = new Prng(0);
    [p.s0, p.s1, p.s2, p.s3] = state;
    return p;
  }

  state(): PrngState {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** Next uint32. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Unbiased integer in [0, n), 1 ≤ n ≤ 2^32 (rejection sampling). */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32 && Number.isInteger(n))) throw new MmgError(`prng: expected an integer range 1..2^32, got ${n}`, 'MMG_E_ARG');
    const limit = 2 ** 32 - (2 ** 32 % n);
    let u = this.nextU32();
    while (u >= limit) u = this.nextU32();
    return u % n;
  }

  /** Standard normal (Box–Muller, one value per call so the state stays four words). */
  normal(): number {
    const u = 1 - this.uniform(); // (0, 1]
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Fills `out` with standard normals, two per Box–Muller pair (faster for big arrays). */
  fillNormal(out: Float32Array | Float64Array, scale = 1): void {
    let i = 0;
    for (; i + 1 < out.length; i += 2) {
      const r = scale * Math.sqrt(-2 * Math.log(1 - this.uniform()));
      const t = 2 * Math.PI * this.uniform();
      out[i] = r * Math.cos(t);
      out[i + 1] = r * Math.sin(t);
    }
    if (i < out.length) out[i] = scale * this.normal();
  }

  /** In-place Fisher–Yates shuffle of a[from, to). */
  shuffle(a: { length: number; [i: number]: number }, from = 0, to = a.length): void {
    for (let i = to - 1; i > from; i--) {
      const j = from + this.int(i - from + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
