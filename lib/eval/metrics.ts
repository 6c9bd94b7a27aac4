/**
 * Top-K metrics exactly as MMRec's `metrics.py` computes them (protocol §7), per user, in float64,
 * for every cutoff 1..width at once (MMRec builds the same cumulative curves and reads column K−1):
 *   recall@K    = hits@K / |G|                      (|G| counts ground-truth rows, not min(K, |G|))
 *   precision@K = hits@K / K
 *   ndcg@K      = Σ_{r≤K, hit} 1/log2(r+1)  /  Σ_{r≤min(|G|,width,K)} 1/log2(r+1)
 *   map@K       = Σ_{r≤K, hit} (hits@r / r)  /  min(K, |G|, width)
 *   hit@K       = 1 if hits@K > 0                    (not in MMRec; RecBole's definition)
 * Summation order matches numpy's cumsum, so values agree to the last bit apart from log2 rounding.
 */
export type MetricName = 'recall' | 'ndcg' | 'precision' | 'map' | 'hit';
export const METRICS: readonly MetricName[] = ['recall', 'ndcg', 'precision', 'map', 'hit'];
/** What MMRec's config reports (overall.yaml `metrics`). */
export const MMREC_METRICS: readonly MetricName[] = ['recall', 'ndcg', 'precision', 'map'];
export const DEFAULT_TOPK: readonly number[] = [5, 10, 20, 50];

/**
 * numpy.rint: round half to even. Math.round rounds halves up (towards +∞), so a tie with an odd
 * result is moved down by one. `r - x` is exact here (r and x are within 0.5 of each other).
 */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** What MMRec reports: Python round(numpy.float64, 4) = rint(x · 1e4) / 1e4 in float64. */
export function round4(x: number): number {
  return rint(x * 1e4) / 1e4;
}

const invLog2Cache: Float64Array[] = [];
/** invLog2(w)[r] = 1 / log2(r + 2), r = 0..w−1 (rank r+1). */
function invLog2(width: number): Float64Array {
  let t = invLog2Cache[width];
  if (!t) {
    t = new Float64Array(width);
    for (let r = 0; r < width; r++) t[r] = 1 / Math.log2(r + 2);
    invLog2Cache[width] = t;
  }
  return t;
}

/**
 * Writes the metric's values at cutoffs 1..width for one user into out[0..width).
 * hits: 0/1 per rank (length ≥ width, from `offset`); gtLen: |G_u| (> 0).
 */
export function userCurve(metric: MetricName, hits: ArrayLike<number>, offset: number, width: number, gtLen: number, out: Float64Array): void {
  let cum = 0;
  switch (metric) {
    case 'recall':
      for (let r = 0; r < width; r++) out[r] = (cum += hits[offset + r]) / gtLen;
      return;
    case 'precision':
      for (let r = 0; r < width; r++) out[r] = (cum += hits[offset + r]) / (r + 1);
      return;
    case 'hit':
      for (let r = 0; r < width; r++) out[r] = (cum += hits[offset + r]) > 0 ? 1 : 0;
      return;
    case 'ndcg': {
      const il = invLog2(width);
      const idealLen = Math.min(gtLen, width);
      let idcg = 0;
      let dcg = 0;
      for (let r = 0; r < width; r++) {
        if (r < idealLen) idcg += il[r];
        if (hits[offset + r]) dcg += il[r];
        out[r] = dcg / idcg;
      }
      return;
    }
    case 'map': {
      const actual = Math.min(gtLen, width);
      let sumPre = 0;
      for (let r = 0; r < width; r++) {
        const h = hits[offset + r];
        cum += h;
        if (h) sumPre += cum / (r + 1);
        out[r] = sumPre / Math.min(r + 1, actual);
      }
      return;
    }
  }
}

/**
 * For the aggregate (no per-user curves): returns add(hits, offset, gtLen, sums), which adds one
 * user's metric@K to sums[j][c] (metric j = metrics[j], cutoff K = ks[c]) in a single pass over the
 * ranks. Each value is the one userCurve writes at column K−1, bit for bit: the same running sums
 * in the same order, read at the cutoffs only instead of at every rank for every metric.
 */
export function cutoffSums(metrics: readonly MetricName[], ks: readonly number[], width: number): (hits: ArrayLike<number>, offset: number, gtLen: number, sums: Float64Array[]) => void {
  const il = invLog2(width);
  const maxK = Math.max(...ks);
  // atRank[r] = the cutoff indices c with ks[c] = r + 1.
  const atRank: number[][] = Array.from({ length: maxK }, () => []);
  ks.forEach((k, c) => atRank[k - 1].push(c));
  const idx = (m: MetricName) => metrics.indexOf(m);
  const [iRecall, iNdcg, iPrecision, iMap, iHit] = [idx('recall'), idx('ndcg'), idx('precision'), idx('map'), idx('hit')];
  return (hits, offset, gtLen, sums) => {
    const idealLen = Math.min(gtLen, width);
    let cum = 0, idcg = 0, dcg = 0, sumPre = 0;
    for (let r = 0; r < maxK; r++) {
      const h = hits[offset + r];
      cum += h;
      if (r < idealLen) idcg += il[r];
      if (h) {
        dcg += il[r];
        sumPre += cum / (r + 1);
      }
      const cs = atRank[r];
      for (let q = 0; q < cs.length; q++) {
        const c = cs[q];
        if (iRecall >= 0) sums[iRecall][c] += cum / gtLen;
        if (iNdcg >= 0) sums[iNdcg][c] += dcg / idcg;
        if (iPrecision >= 0) sums[iPrecision][c] += cum / (r + 1);
        if (iMap >= 0) sums[iMap][c] += sumPre / Math.min(r + 1, idealLen);
        if (iHit >= 0) sums[iHit][c] += cum > 0 ? 1 : 0;
      }
    }
  };
}
