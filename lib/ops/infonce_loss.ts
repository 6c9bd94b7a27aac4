/** infonceLoss: NCE(a, b; τ) of SMORE/GUME, one-directional, in-batch. Contract: native/ops/infonce_loss.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp } from './run';

export interface InfonceOptions {
  /**
   * @internal Backward strategy: 'full' forms c(P − I) in one B×B buffer, 'tiled' recomputes
   * blocks and needs only a few 64×B ones; 'auto' (default) picks full up to 64 MiB.
   */
  backwardPath?: 'auto' | 'full' | 'tiled';
}

/** a (anchors), b: [B, d]; rows are L2-normalized inside. Returns the scalar mean loss. */
export function infonceLoss(a: Tensor, b: Tensor, tau: number, opts: InfonceOptions = {}): Tensor {
  const [loss, lse] = runOp('infonce_loss', [a, b], [tau]);
  const path = { auto: 0, full: 1, tiled: 2 }[opts.backwardPath ?? 'auto'];
  const out = record(loss, 'infonce_loss', [a, b], (g) => runOp('infonce_loss_backward', [a, b, lse, g], [tau, path]));
  // The row log-sum-exps are kept only for the backward.
  if (!out.gradNode) lse.dispose();
  return out;
}
