/** scatterAddRows: Y = zeros [n, d]; Y[idx[b]] += X[b]. Contract: native/ops/scatter_add_rows.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';
import { gatherRows, indicesChecked } from './gather_rows';

/** x: [B, d]; idx: int32/int64 [B]; n: rows of the result. Deterministic. */
export function scatterAddRows(x: Tensor, idx: Tensor, n: number): Tensor {
  const out = runOp1('scatter_add_rows', [x, idx], [n, indicesChecked(idx, n)]);
  return record(out, 'scatter_add_rows', [x, idx], (g, needs) => [needs[0] ? gatherRows(g, idx) : null, null]);
}
