/** layerMean: the elementwise mean of L same-shape tensors. Contract: native/ops/layer_mean.cc. */
import { record } from '../autograd/tape';
import { MmgError } from '../errors';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export function layerMean(xs: readonly Tensor[]): Tensor {
  if (xs.length === 0) throw new MmgError('layer_mean: expected at least 1 input, got 0', 'MMG_E_ARG');
  const y = runOp1('layer_mean', xs);
  return record(y, 'layer_mean', xs, (g, needs) => {
    // One g/L tensor serves every input: the tape reference-counts gradients held by several slots.
    const share = needs.some((n) => n) ? runOp1('scale', [g], [1 / xs.length, 0]) : null;
    return needs.map((n) => (n ? share : null));
  });
}
