/**
 * spmm: Y = A·X for a constant CsrMatrix A (graph weights carry no gradient) and dense X [A.nCols, d].
 * Backward: dX = Aᵀ·dY through A's cached transpose. Contract: native/ops/spmm.cc.
 */
import { record } from '../autograd/tape';
import { check } from '../errors';
import type { CsrMatrix } from '../sparse/csr';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function spmm(a: CsrMatrix, x: Tensor): Tensor {
  a.assertLive('spmm');
  check(x.rank === 2 && x.shape[0] === a.nCols, 'MMG_E_SHAPE',
    () => `spmm: expected X of shape [${a.nCols}, d] for A ${a.nRows}x${a.nCols}, got [${x.shape.join(', ')}]`);
  // A CSR validated as it moved to the device is not scanned again per call (native/ops/spmm.cc's
  // checks still run on the CPU; MMGRAPH_CUDA_CHECK=1 restores them on a device).
  const y = runOp1('spmm', [a.indptr, a.indices, a.values, x], [a.validated ? 1 : 0]);
  return record(y, 'spmm', [x], (g) => [spmm(a.transpose(), g)]);
}
