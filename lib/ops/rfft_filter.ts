/**
 * SMORE's spectral stage (smore.md §3 step 2): rows filtered in the ortho rfft domain along their
 * d (even) features. Contract: native/ops/rfft_filter.cc.
 */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp, runOp1 } from './run';

/** C = irfft(rfft(P) ⊙ w); P [n, d], w [1, d/2+1, 2] or [d/2+1, 2] as (re, im). */
export function spectralFilter(p: Tensor, w: Tensor): Tensor {
  const out = runOp1('rfft_filter', [p, w]);
  return record(out, 'rfft_filter', [p, w], (g) => runOp('rfft_filter_backward', [p, w, g]));
}

/** C = irfft(rfft(Pv) ⊙ rfft(Pt) ⊙ w), the fusion spectrum. */
export function spectralFusion(pv: Tensor, pt: Tensor, w: Tensor): Tensor {
  const out = runOp1('rfft_filter_fusion', [pv, pt, w]);
  return record(out, 'rfft_filter_fusion', [pv, pt, w], (g) => runOp('rfft_filter_fusion_backward', [pv, pt, w, g]));
}
