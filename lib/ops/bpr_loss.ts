/** bprLoss: mean_b −log σ(u_b·p_b − u_b·n_b). Contract: native/ops/bpr_loss.cc. */
import { record } from '../autograd/tape';
import { MmgError } from '../errors';
import type { Tensor } from '../tensor';
import { runOp, runOp1 } from './run';

/**
 * 'logsigmoid': F.logsigmoid, stable (SMORE, GUME). 'lightgcn': −log(1e-10 + σ(x)), MMRec's BPRLoss
 * (LightGCN, BPR-MF).
 */
export type BprVariant = 'logsigmoid' | 'lightgcn';

const VARIANTS: readonly BprVariant[] = ['logsigmoid', 'lightgcn'];

export interface BprLossOptions {
  variant?: BprVariant;
}

/** u, p, n: [B, d] rows of the final user, positive-item and negative-item embeddings. */
export function bprLoss(u: Tensor, p: Tensor, n: Tensor, opts: BprLossOptions = {}): Tensor {
  const name = opts.variant ?? 'logsigmoid';
  const variant = VARIANTS.indexOf(name);
  if (variant < 0) throw new MmgError(`bpr_loss: expected variant 'logsigmoid' or 'lightgcn', got '${String(name)}'`, 'MMG_E_ARG');
  const out = runOp1('bpr_loss', [u, p, n], [variant]);
  // All three gradients come from one kernel; the tape frees those no input needs.
  return record(out, 'bpr_loss', [u, p, n], (g) => runOp('bpr_loss_backward', [u, p, n, g], [variant]));
}
