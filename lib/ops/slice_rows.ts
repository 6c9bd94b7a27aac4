/** sliceRows: a copy of rows [start, end). Contract: native/ops/slice_rows.cc. */
import { record } from '../autograd/tape';
import { zeros, type Tensor } from '../tensor';
import { runOp1 } from './run';

export function sliceRows(x: Tensor, start: number, end: number): Tensor {
  const out = runOp1('slice_rows', [x], [start, end]);
  return record(out, 'slice_rows', [x], (g) => {
    const n = x.shape[0];
    if (start === 0 && end === n) return [g];
    // dX = [0; g; 0], formed by concat_rows (its own forward kernel, not recorded: g needs no grad here).
    const opts = { dtype: x.dtype, device: x.device };
    const before = start > 0 ? zeros([start, x.shape[1]], opts) : null;
    const after = end < n ? zeros([n - end, x.shape[1]], opts) : null;
    const parts = [before, g, after].filter((t): t is Tensor => t !== null);
    const dx = runOp1('concat_rows', parts);
    before?.dispose();
    after?.dispose();
    return [dx];
  });
}
