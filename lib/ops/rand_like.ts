/**
 * randLike: uniform [0, 1) values shaped like x (dtype and device too), as torch.rand_like; x's
 * values are not read. Counter-based on (seed, element index), so a seed gives the same values on
 * any thread count or device. Not recorded on the tape: random draws are constants.
 * Contract: native/ops/rand_like.cc.
 */
import type { Tensor } from '../tensor';
import { seedHalves } from './dropout';
import { runOp1 } from './run';

export function randLike(x: Tensor, seed: number | bigint): Tensor {
  const [lo, hi] = seedHalves(seed);
  return runOp1('rand_like', [x], [lo, hi]);
}
