/**
 * Slow reference for protocol §11 build_knn_normalized_graph(build_sim(X), k, sparse, 'sym'):
 * dense cosine matrix, per-row top-k by (similarity desc, column asc), row-sum degrees, sym weights.
 * Rows are returned sorted by column (the op's order).
 */
import { symNormCsrRef, topkRowRef, type CsrArrays } from './csr';

export function cosineSimRef(x: ArrayLike<number>, n: number, f: number): number[] {
  const xn = new Array<number>(n * f);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < f; c++) s += x[i * f + c] ** 2;
    const norm = Math.sqrt(s);
    for (let c = 0; c < f; c++) xn[i * f + c] = x[i * f + c] / norm;
  }
  const sim = new Array<number>(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < f; c++) s += xn[i * f + c] * xn[j * f + c];
      sim[i * n + j] = s;
    }
  return sim;
}

export function knnGraphRef(sim: ArrayLike<number>, n: number, k: number): CsrArrays {
  const kept: Array<Array<[number, number]>> = [];
  const deg = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const row: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) row.push([j, sim[i * n + j]]);
    kept.push(topkRowRef(row, k));
    for (const [, v] of kept[i]) deg[i] += v;
  }
  const dinv = deg.map((d) => (d === 0 ? 0 : Math.pow(d, -0.5)));
  return symNormCsrRef(kept, dinv);
}
