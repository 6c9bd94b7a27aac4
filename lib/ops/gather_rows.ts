/** gatherRows: Y[b] = X[idx[b]] (embedding lookup). Contract: native/ops/gather_rows.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';
import { scatterAddRows } from './scatter_add_rows';

/** x: [n, d]; idx: int32/int64 [B], repeats allowed. Returns [B, d]. */
export function gatherRows(x: Tensor, idx: Tensor): Tensor {
  const out = runOp1('gather_rows', [x, idx], [indicesChecked(idx, x.shape[0])]);
  // The indices are not differentiable; their gradient is always null.
  return record(out, 'gather_rows', [x, idx], (g, needs) => [needs[0] ? scatterAddRows(g, idx, x.shape[0]) : null, null]);
}

/**
 * The kernels' `checked` attribute: 1 when idx was range-checked on the host against a bound
 * within [0, n) (lib/nn/batch.ts), so a device kernel may skip its own scan and round trip.
 */
export function indicesChecked(idx: Tensor, n: number): number {
  return idx.hostIndex && idx.hostIndex.bound <= n ? 1 : 0;
}
