/** infonceLoss: NCE(a, b; τ) of SMORE/GUME, one-directional, in-batch. Contract: native/ops/infonce_loss.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp } from './run';

/** a (anchors), b: [B, d]; rows are L2-normalized inside. Returns the scalar mean loss. */
export function infonceLoss(a: Tensor, b: Tensor, tau: number): Tensor {
  const [loss, lse] = runOp('infonce_loss', [a, b], [tau]);
  const out = record(loss, 'infonce_loss', [a, b], (g) => runOp('infonce_loss_backward', [a, b, lse, g], [tau]));
  // The row log-sum-exps are kept only for the backward.
  if (!out.gradNode) lse.dispose();
  return out;
}
