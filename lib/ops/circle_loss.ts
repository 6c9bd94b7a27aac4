/** circleLoss: Circle Loss over cosine similarities, in-batch negatives (SynerGraph). Contract: native/ops/circle_loss.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp } from './run';

export interface CircleLossOptions {
  /** Relaxation margin m in [0, 1] (O_p = 1 + m, O_n = −m, Δ_p = 1 − m, Δ_n = m). */
  margin: number;
  /** Scale γ > 0, finite (the Circle Loss paper uses 80 with m = 0.25 or 0.4). */
  gamma: number;
  /**
   * @internal Backward strategy: 'full' forms the coefficient matrix in one B×B buffer, 'tiled'
   * recomputes blocks; 'auto' (default) picks full up to 64 MiB.
   */
  backwardPath?: 'auto' | 'full' | 'tiled';
}

/**
 * a (anchors), b: [B, d]; rows are L2-normalized inside. Row i's positive is b_i, its negatives are
 * the other rows of b. Returns the scalar mean loss; the weights α_p, α_n are constants for the
 * gradient. One row (no negatives) gives 0; an empty batch gives NaN.
 */
export function circleLoss(a: Tensor, b: Tensor, opts: CircleLossOptions): Tensor {
  const { margin, gamma } = opts;
  const [loss, lse, x] = runOp('circle_loss', [a, b], [margin, gamma]);
  const path = { auto: 0, full: 1, tiled: 2 }[opts.backwardPath ?? 'auto'];
  const out = record(loss, 'circle_loss', [a, b], (g) => runOp('circle_loss_backward', [a, b, lse, x, g], [margin, gamma, path]));
  // The row log-sum-exps and softplus arguments are kept only for the backward.
  if (!out.gradNode) {
    lse.dispose();
    x.dispose();
  }
  return out;
}
