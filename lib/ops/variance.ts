/**
 * variance: the variance of ALL elements of x as a scalar, Σ(x − x̄)²/(n − correction); correction 1
 * (default) is the unbiased estimator of torch.var. Contract: native/ops/variance.cc.
 */
import { record } from '../autograd/tape';
import { check } from '../errors';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export interface VarianceOptions {
  /** 1 (default): divide by n − 1 (unbiased); 0: divide by n. */
  correction?: 0 | 1;
}

export function variance(x: Tensor, opts: VarianceOptions = {}): Tensor {
  const corr = opts.correction ?? 1;
  check(corr === 0 || corr === 1, 'MMG_E_ARG', () => `variance: expected correction 0 or 1, got ${String(corr)}`);
  const y = runOp1('variance', [x], [corr]);
  return record(y, 'variance', [x], (g) => [runOp1('variance_backward', [x, g], [corr])]);
}
