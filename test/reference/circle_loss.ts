/**
 * Slow references for circle_loss, float64, from the spec's formula (synergraph.md §4):
 *   ℓ_i = log(1 + Σ_{j≠i} exp(γα_n^ij(s_n^ij − m))·exp(−γα_p^i(s_p^i − 1 + m))), L = mean ℓ_i,
 * with cosine similarities (F.normalize, eps 1e-12), α_p = [1 + m − s_p]_+, α_n = [s_n + m]_+.
 */
import { normalizedDots } from './_rows';

/** S_ij = â_i·b̂_j as a rows×rows array. */
export function cosines(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, d: number): number[][] {
  const dot = normalizedDots(a, b, rows, d);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: rows }, (_, j) => dot(i, j)));
}

/** The formula exactly as written, no shifting: overflows to Infinity once γ·(…) passes ~709. */
export function circleLossNaive(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, d: number, margin: number, gamma: number): number {
  const S = cosines(a, b, rows, d);
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const sp = S[i][i];
    const pos = Math.exp(-gamma * Math.max(0, 1 + margin - sp) * (sp - (1 - margin)));
    let neg = 0;
    for (let j = 0; j < rows; j++) if (j !== i) neg += Math.exp(gamma * Math.max(0, S[i][j] + margin) * (S[i][j] - margin));
    sum += Math.log(1 + neg * pos);
  }
  return sum / rows;
}

/**
 * The same sum with the largest exponent (or 0) factored out of the log, so any γ is finite.
 * `alphaAt`: the cosine matrix to take α_p, α_n from instead of (a, b)'s own: holding the weights
 * constant while (a, b) move is what the backward differentiates (finite differences on this surrogate).
 */
export function circleLossRef(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rows: number,
  d: number,
  margin: number,
  gamma: number,
  alphaAt?: number[][],
): number {
  const S = cosines(a, b, rows, d);
  const W = alphaAt ?? S;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const pos = -gamma * Math.max(0, 1 + margin - W[i][i]) * (S[i][i] - (1 - margin));
    const terms: number[] = [0];  // the "1" of log(1 + …)
    for (let j = 0; j < rows; j++) if (j !== i) terms.push(gamma * Math.max(0, W[i][j] + margin) * (S[i][j] - margin) + pos);
    const top = Math.max(...terms);
    let acc = 0;
    for (const t of terms) acc += Math.exp(t - top);
    sum += top + Math.log(acc);
  }
  return sum / rows;
}
