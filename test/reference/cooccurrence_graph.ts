/**
 * Slow dense references for SINGER's collaborative item–item graph (singer.md §4.3) and the EISG
 * mix (§4.4). Binary R from the pairs, the full item×item similarity, per-row top-k by (value desc,
 * column asc) over the strictly positive off-diagonal entries, row-sum degrees, sym weights.
 * two_hop is computed as (Σ_{u ascending} R_ui R_uj / deg_u) / sqrt(deg_i deg_j), the op's
 * documented arithmetic, so exact ties are ties here too; twoHopDenseRef is R̂ᵀR̂ as written in the
 * spec, for checking that factorization.
 */
import { symNormCsrRef, topkRowRef, type CsrArrays } from './csr';

export type CoocMode = 'cosine' | 'count' | 'two_hop';

function binaryR(nUsers: number, nItems: number, users: ArrayLike<number>, items: ArrayLike<number>): number[][] {
  const R = Array.from({ length: nUsers }, () => new Array<number>(nItems).fill(0));
  for (let q = 0; q < users.length; q++) R[users[q]][items[q]] = 1;
  return R;
}

/** The dense nItems×nItems similarity (diagonal 0). */
export function cooccurrenceSimRef(nUsers: number, nItems: number, users: ArrayLike<number>, items: ArrayLike<number>, mode: CoocMode): number[][] {
  const R = binaryR(nUsers, nItems, users, items);
  const degU = R.map((row) => row.reduce((a, b) => a + b, 0));
  const degI = Array.from({ length: nItems }, (_, i) => R.reduce((a, row) => a + row[i], 0));
  const sim = Array.from({ length: nItems }, () => new Array<number>(nItems).fill(0));
  for (let i = 0; i < nItems; i++)
    for (let j = 0; j < nItems; j++) {
      if (i === j) continue;
      let acc = 0;
      for (let u = 0; u < nUsers; u++) if (R[u][i] && R[u][j]) acc += mode === 'two_hop' ? 1 / degU[u] : 1;
      sim[i][j] = mode === 'count' || acc === 0 ? acc : acc / Math.sqrt(degI[i] * degI[j]);
    }
  return sim;
}

/** R̂ᵀR̂ with R̂ = D_u^-½ R D_i^-½, diagonal zeroed, straight from the spec's formula. */
export function twoHopDenseRef(nUsers: number, nItems: number, users: ArrayLike<number>, items: ArrayLike<number>): number[][] {
  const R = binaryR(nUsers, nItems, users, items);
  const degU = R.map((row) => row.reduce((a, b) => a + b, 0));
  const degI = Array.from({ length: nItems }, (_, i) => R.reduce((a, row) => a + row[i], 0));
  const Rh = R.map((row, u) => row.map((x, i) => (x ? x / Math.sqrt(degU[u] * degI[i]) : 0)));
  return Array.from({ length: nItems }, (_, i) =>
    Array.from({ length: nItems }, (_, j) => (i === j ? 0 : Rh.reduce((a, row) => a + row[i] * row[j], 0))));
}

/** Top-k per row of a dense similarity, then D^-½ S̃ D^-½; rows sorted by column. */
export function topkSymNormRef(sim: number[][], k: number): CsrArrays {
  const n = sim.length;
  const kept: Array<Array<[number, number]>> = [];
  const dinv = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const row: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) if (j !== i && sim[i][j] > 0) row.push([j, sim[i][j]]);
    kept.push(topkRowRef(row, k));
    let deg = 0;
    for (const [, v] of kept[i]) deg += v;
    dinv[i] = deg > 0 ? 1 / Math.sqrt(deg) : 0;
  }
  return symNormCsrRef(kept, dinv);
}

export function cooccurrenceGraphRef(
  nUsers: number, nItems: number, users: ArrayLike<number>, items: ArrayLike<number>, k: number, mode: CoocMode,
): CsrArrays {
  return topkSymNormRef(cooccurrenceSimRef(nUsers, nItems, users, items, mode), k);
}

/** Dense (1−β)·A + β·B, then optionally D^-½·S̄·D^-½ on its row sums. */
export function mixGraphsDenseRef(A: ArrayLike<number>, B: ArrayLike<number>, n: number, beta: number, renorm: boolean): number[] {
  const S = Array.from({ length: n * n }, (_, e) => (1 - beta) * A[e] + beta * B[e]);
  if (!renorm) return S;
  const dinv = Array.from({ length: n }, (_, r) => {
    let d = 0;
    for (let c = 0; c < n; c++) d += S[r * n + c];
    return d === 0 ? 0 : Math.pow(d, -0.5);
  });
  return S.map((v, e) => dinv[Math.floor(e / n)] * v * dinv[e % n]);
}
