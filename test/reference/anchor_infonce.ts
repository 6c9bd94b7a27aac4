/**
 * Slow reference: the anchor-based InfoNCE of singer.md §6.1 written as its formula, float64,
 * F.normalize (eps 1e-12), no max subtraction: −1/(nM) Σ_i Σ_m log(exp(a_i·z^m_i/τ) / Σ_{j,m'} exp(a_i·z^{m'}_j/τ)).
 */
import { normalizedDots } from './_rows';

export function anchorInfonceRef(anchor: ArrayLike<number>, views: ReadonlyArray<ArrayLike<number>>, n: number, d: number, tau: number): number {
  const dots = views.map((v) => normalizedDots(anchor, v, n, d));
  const M = views.length;
  const sim = (i: number, m: number, j: number) => dots[m](i, j) / tau;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let denom = 0;
    for (let m = 0; m < M; m++) for (let j = 0; j < n; j++) denom += Math.exp(sim(i, m, j));
    for (let m = 0; m < M; m++) total += -Math.log(Math.exp(sim(i, m, i)) / denom);
  }
  return total / (n * M);
}
