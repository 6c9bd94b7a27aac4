/**
 * Slow reference for modulusPerturb, float64: the draws are randLikeRef's (same splitmix64 of
 * (seed, element index), in the tensor's dtype), the noise norm per mode is the contract's
 * (native/ops/modulus_perturb.cc): ratio ε‖e_r‖, mean_scaled ε‖e_r‖/mean‖e‖, inverse ε·mean‖e‖/‖e_r‖
 * (0 for a zero row), along sign(e_r) ⊙ δ_r/max(‖δ_r‖, 1e-12).
 */
import { randLikeRef } from './rand_like';

export function modulusPerturbRef(
  e: ArrayLike<number>,
  n: number,
  d: number,
  eps: number,
  seed: bigint,
  mode: 'ratio' | 'mean_scaled' | 'inverse',
  dtype: 'float32' | 'float64',
): number[] {
  const u = randLikeRef(n * d, seed, dtype);
  const norm = (x: ArrayLike<number>, r: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[r * d + j] ** 2;
    return Math.sqrt(s);
  };
  const en = Array.from({ length: n }, (_, r) => norm(e, r));
  const mean = en.reduce((a, b) => a + b, 0) / Math.max(n, 1);
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    const mag = mode === 'ratio' ? eps * en[r] : mode === 'mean_scaled' ? (mean > 0 ? (eps * en[r]) / mean : 0) : en[r] > 0 ? (eps * mean) / en[r] : 0;
    const dn = Math.max(norm(u, r), 1e-12);
    for (let j = 0; j < d; j++) {
      const x = e[r * d + j];
      out.push(x + (mag / dn) * Math.sign(x) * u[r * d + j]);
    }
  }
  return out;
}
