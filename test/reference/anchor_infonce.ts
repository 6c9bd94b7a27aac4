/**
 * Slow reference: the anchor-based InfoNCE of singer.md §6.1 written as its formula, float64,
 * F.normalize (eps 1e-12), no max subtraction: −1/(nM) Σ_i Σ_m log(exp(a_i·z^m_i/τ) / Σ_{j,m'} exp(a_i·z^{m'}_j/τ)).
 */
function normalize(x: ArrayLike<number>, rows: number, d: number): number[] {
  const out = new Array<number>(rows * d);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    const den = Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) out[i * d + j] = x[i * d + j] / den;
  }
  return out;
}

export function anchorInfonceRef(anchor: ArrayLike<number>, views: ReadonlyArray<ArrayLike<number>>, n: number, d: number, tau: number): number {
  const A = normalize(anchor, n, d);
  const Z = views.map((v) => normalize(v, n, d));
  const M = views.length;
  const sim = (i: number, m: number, j: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += A[i * d + k] * Z[m][j * d + k];
    return s / tau;
  };
  let total = 0;
  for (let i = 0; i < n; i++) {
    let denom = 0;
    for (let m = 0; m < M; m++) for (let j = 0; j < n; j++) denom += Math.exp(sim(i, m, j));
    for (let m = 0; m < M; m++) total += -Math.log(Math.exp(sim(i, m, i)) / denom);
  }
  return total / (n * M);
}
