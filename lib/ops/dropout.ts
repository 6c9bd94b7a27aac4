/** dropout: inverted dropout with a seeded, counter-based mask. Contract: native/ops/dropout.cc. */
import { record } from '../autograd/tape';
import { MmgError } from '../errors';
import type { Tensor } from '../tensor';
import { runOp, runOp1 } from './run';

export interface DropoutOptions {
  /** Off in evaluation: the identity. Default true. */
  training?: boolean;
}

/** Splits a 64-bit seed into the kernel's two uint32 attributes [lo, hi]; `op` names the caller in errors. */
export function seedHalves(seed: number | bigint, op = 'dropout'): [number, number] {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) throw new MmgError(`${op}: expected a seed in [0, 2^64), got ${seed}`, 'MMG_E_ARG');
    return [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  }
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new MmgError(`${op}: expected a seed that is a non-negative safe integer (or a bigint), got ${seed}`, 'MMG_E_ARG');
  return [seed % 2 ** 32, Math.floor(seed / 2 ** 32)];
}

/**
 * Zeroes each element with probability p and scales the rest by 1/(1−p). The mask depends only on
 * (seed, element index, p). With p = 0 or training = false, returns x itself (no allocation).
 */
export function dropout(x: Tensor, p: number, seed: number | bigint, opts: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p < 1)) throw new MmgError(`dropout: expected a drop probability p in [0, 1), got ${p}`, 'MMG_E_ARG');
  const [lo, hi] = seedHalves(seed);
  if (p === 0 || opts.training === false) return x;
  const [y, mask] = runOp('dropout', [x], [p, lo, hi]);
  const out = record(y, 'dropout', [x], (g) => [runOp1('dropout_backward', [g, mask])]);
  if (!out.gradNode) mask.dispose();
  return out;
}
