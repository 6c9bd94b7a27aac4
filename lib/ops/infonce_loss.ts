/** infonceLoss: NCE(a, b; τ) of SMORE/GUME, one-directional, in-batch. Contract: native/ops/infonce_loss.cc. */
import { isGradEnabled, record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp, runOp1 } from './run';

export interface InfonceOptions {
  /**
   * @internal Backward strategy. 'auto' (default): when a gradient will be needed, the forward
   * returns it too (infonce_loss_grad: S is formed once, no B×B buffer) and the backward only
   * scales it by the upstream gradient. 'full' and 'tiled' run the separate backward op instead:
   * 'full' forms c(P − I) in one B×B buffer, 'tiled' recomputes blocks in a few 64×B ones.
   */
  backwardPath?: 'auto' | 'full' | 'tiled';
}

/** a (anchors), b: [B, d]; rows are L2-normalized inside. Returns the scalar mean loss. */
export function infonceLoss(a: Tensor, b: Tensor, tau: number, opts: InfonceOptions = {}): Tensor {
  const mode = opts.backwardPath ?? 'auto';
  if (mode === 'auto' && isGradEnabled() && (a.requiresGrad || b.requiresGrad)) {
    // dL/dA, dL/dB at dL = 1: the loss is a terminal node, its upstream gradient a scalar g.
    const [loss, dA, dB] = runOp('infonce_loss_grad', [a, b], [tau]);
    return record(loss, 'infonce_loss', [a, b], (g, needs) => {
      // g stays on its device (no read): broadcast to [B, d], then one product per input.
      const gFull = runOp1('sum_backward', [g, dA], [-1]);
      const out = [needs[0] ? runOp1('mul', [dA, gFull]) : null, needs[1] ? runOp1('mul', [dB, gFull]) : null];
      gFull.dispose();
      return out;
    });
  }
  const [loss, lse] = runOp('infonce_loss', [a, b], [tau]);
  const path = { auto: 0, full: 1, tiled: 2 }[mode];
  const out = record(loss, 'infonce_loss', [a, b], (g) => runOp('infonce_loss_backward', [a, b, lse, g], [tau, path]));
  // The row log-sum-exps are kept only for the backward.
  if (!out.gradNode) lse.dispose();
  return out;
}
