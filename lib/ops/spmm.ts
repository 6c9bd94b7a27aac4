/**
 * spmm: Y = A·X (+ C) for a constant CsrMatrix A (graph weights carry no gradient), dense X
 * [A.nCols, d] and an optional addend C [A.nRows, d] (one pass instead of spmm then add; the same
 * bits). Backward: dX = Aᵀ·dY through A's cached transpose, dC = dY. Contract: native/ops/spmm.cc.
 */
import { record } from '../autograd/tape';
import { check } from '../errors';
import type { CsrMatrix } from '../sparse/csr';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function spmm(a: CsrMatrix, x: Tensor, addend?: Tensor): Tensor {
  a.assertLive('spmm');
  check(x.rank === 2 && x.shape[0] === a.nCols, 'MMG_E_SHAPE',
    () => `spmm: expected X of shape [${a.nCols}, d] for A ${a.nRows}x${a.nCols}, got [${x.shape.join(', ')}]`);
  // A CSR validated as it moved to the device is not scanned again per call (native/ops/spmm.cc's
  // checks still run on the CPU; MMGRAPH_CUDA_CHECK=1 restores them on a device).
  const inputs = [a.indptr, a.indices, a.values, x];
  if (addend) inputs.push(addend);
  const y = runOp1('spmm', inputs, [a.validated ? 1 : 0]);
  return record(y, 'spmm', addend ? [x, addend] : [x], (g, needs) => [needs[0] ? spmm(a.transpose(), g) : null, ...(addend ? [g] : [])]);
}
