/**
 * anchorInfonce: SINGER's anchor-based InfoNCE (multi-positive, SupCon-style, one anchor per
 * entity). Contract: native/ops/anchor_infonce.cc.
 */
import { record } from '../autograd/tape';
import { MmgError } from '../errors';
import type { Tensor } from '../tensor';
import { runOp, runOp1 } from './run';

export interface AnchorInfonceOptions {
  /** Treat the anchor as a fixed reference: no gradient flows into it. Default false. */
  stopGradAnchor?: boolean;
  /** @internal Backward strategy, as in infonceLoss: 'auto' (default), 'full' or 'tiled'. */
  backwardPath?: 'auto' | 'full' | 'tiled';
}

/**
 * anchor [n, d] and M ≥ 1 views [n, d] (same dtype and shape); rows are L2-normalized inside.
 * L = −1/(nM) Σ_i Σ_m log softmax_{(m', j)}(â_i·ẑ^{m'}_j / τ) at (m, i): the M views of entity i are
 * its positives, every view of every other entity a negative. Returns the scalar loss.
 * With one view it equals infonceLoss(anchor, view, tau).
 */
export function anchorInfonce(anchor: Tensor, views: readonly Tensor[], tau: number, opts: AnchorInfonceOptions = {}): Tensor {
  if (!Array.isArray(views) || views.length === 0)
    throw new MmgError(`anchor_infonce: expected at least one view, got ${Array.isArray(views) ? 'an empty list' : typeof views}`, 'MMG_E_ARG');
  const [loss, lse] = runOp('anchor_infonce', [anchor, ...views], [tau]);
  const stop = opts.stopGradAnchor === true;
  const path = { auto: 0, full: 1, tiled: 2 }[opts.backwardPath ?? 'auto'];
  const inputs = stop ? [...views] : [anchor, ...views];
  const out = record(loss, 'anchor_infonce', inputs, (g, needs) => {
    const first = stop ? 0 : 1;
    const needAnchor = !stop && needs[0];
    const [dA, dZ] = runOp('anchor_infonce_backward', [anchor, ...views, lse, g], [tau, path, needAnchor ? 1 : 0]);
    const n = anchor.shape[0];
    // dZ stacks the views' gradients: rows m·n .. m·n + n − 1 are views[m]'s.
    const dViews = views.map((_, m) =>
      !needs[first + m] ? null : views.length === 1 ? dZ : runOp1('slice_rows', [dZ], [m * n, (m + 1) * n]),
    );
    if (views.length > 1 || !needs[first]) dZ.dispose();
    if (!needAnchor) dA.dispose();
    const dAnchor = needAnchor ? dA : null;
    return stop ? dViews : [dAnchor, ...dViews];
  });
  // The row log-sum-exps are kept only for the backward.
  if (!out.gradNode) lse.dispose();
  return out;
}
