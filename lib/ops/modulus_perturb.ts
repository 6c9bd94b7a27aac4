/**
 * modulusPerturb: SINGER's modulus-based personalized perturbation (contrastive views).
 * Contract and the exact noise norms per mode: native/ops/modulus_perturb.cc.
 */
import { record } from '../autograd/tape';
import { MmgError } from '../errors';
import type { Tensor } from '../tensor';
import { seedHalves } from './dropout';
import { runOp1 } from './run';

/** How the noise norm of row r follows ‖e_r‖ (ε·‖e_r‖, ε·‖e_r‖/mean‖e‖, ε·mean‖e‖/‖e_r‖). */
export type PerturbMode = 'ratio' | 'mean_scaled' | 'inverse';

const MODES: Record<PerturbMode, number> = { ratio: 0, mean_scaled: 1, inverse: 2 };

/**
 * e [n, d] → e + noise, with row r's noise along sign(e_r) ⊙ nrm(δ_r), δ_r ~ U[0, 1)^d drawn from
 * (seed, element index) exactly as randLike(e, seed) draws them. The noise and the norms are
 * detached: the gradient passes through unchanged (dE = dOut).
 */
export function modulusPerturb(e: Tensor, eps: number, seed: number | bigint, mode: PerturbMode = 'ratio'): Tensor {
  const code = Object.prototype.hasOwnProperty.call(MODES, mode) ? MODES[mode] : undefined;
  if (code === undefined)
    throw new MmgError(`modulus_perturb: expected mode 'ratio', 'mean_scaled' or 'inverse', got ${String(mode)}`, 'MMG_E_ARG');
  const [lo, hi] = seedHalves(seed, 'modulus_perturb');
  const out = runOp1('modulus_perturb', [e], [eps, lo, hi, code]);
  return record(out, 'modulus_perturb', [e], (g) => [g]);
}
