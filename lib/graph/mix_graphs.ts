/**
 * mixGraphs: SINGER's EISG S̄ = (1−β)·a + β·b (singer.md §4.4) on the union of the two sparsity
 * patterns. β weights `b` (the collaborative graph in SINGER), so β = 0 returns exactly a's
 * entries, pattern and values (the "w/o collaborative enhancement" ablation; §13's "EISG with
 * β=0 reproduces the kNN graph"), and β = 1 exactly b's: a term with weight 0 adds no entries.
 * Otherwise the pattern is the union; entries that come out exactly 0 (values that cancel, zeros
 * stored in an input) are kept, not dropped. `renorm` re-applies D^-½·S̄·D^-½ with D the row sums
 * of S̄ and 0^-½ := 0 (spec option `eisg_renorm`; off by default because a convex mix of two
 * sym-normalized graphs already has spectral radius ≤ 1). Both inputs must be square, of the same
 * shape and dtype, on the host; the result is coalesced, in their dtype (arithmetic in double,
 * rounded once). No gradient: a constant graph.
 */
import { check } from '../errors';
import { CsrMatrix } from '../sparse/csr';

export interface MixGraphsOptions {
  renorm?: boolean;
}

export function mixGraphs(a: CsrMatrix, b: CsrMatrix, beta: number, opts: MixGraphsOptions = {}): CsrMatrix {
  const op = 'mixGraphs';
  a.assertLive(op);
  b.assertLive(op);
  check(a.nRows === b.nRows && a.nCols === b.nCols, 'MMG_E_SHAPE',
    `${op}: expected a and b of the same shape, got ${a.nRows}x${a.nCols} and ${b.nRows}x${b.nCols}`);
  check(a.dtype === b.dtype, 'MMG_E_DTYPE', `${op}: expected a and b to share a dtype, got ${a.dtype} and ${b.dtype}`);
  check(a.device !== 'cuda' && b.device !== 'cuda', 'MMG_E_DEVICE', `${op}: expected host matrices, got ${a.device} and ${b.device}`);
  check(typeof beta === 'number' && beta >= 0 && beta <= 1, 'MMG_E_ARG', `${op}: expected beta in [0, 1], got ${beta}`);
  const renorm = opts.renorm ?? false;
  check(!renorm || a.nRows === a.nCols, 'MMG_E_SHAPE', `${op}: expected square matrices with renorm, got ${a.nRows}x${a.nCols}`);
  const ap = a.indptr.data() as Int32Array, aj = a.indices.data() as Int32Array, av = a.values.data() as Float32Array | Float64Array;
  const bp = b.indptr.data() as Int32Array, bj = b.indices.data() as Int32Array, bv = b.values.data() as Float32Array | Float64Array;
  const n = a.nRows;
  const wa = 1 - beta, wb = beta;
  const op_ = new Int32Array(n + 1);
  const oj = new Int32Array((wa === 0 ? 0 : a.nnz) + (wb === 0 ? 0 : b.nnz));
  const ov = new Float64Array(oj.length);
  let q = 0;
  // A zero-weight side contributes no pattern: its rows read as empty.
  const aEnd = (r: number) => (wa === 0 ? ap[r] : ap[r + 1]);
  const bEnd = (r: number) => (wb === 0 ? bp[r] : bp[r + 1]);
  // Merge two column-sorted rows (CsrMatrix rows are coalesced). At β = 0 an a-only entry is
  // 1·a_ij exactly and a shared one 1·a_ij + 0·b_ij = a_ij, so a's values come back unchanged.
  for (let r = 0; r < n; r++) {
    let x = ap[r], y = bp[r];
    const xe = aEnd(r), ye = bEnd(r);
    while (x < xe || y < ye) {
      if (y >= ye || (x < xe && aj[x] < bj[y])) { oj[q] = aj[x]; ov[q++] = wa * av[x++]; }
      else if (x >= xe || bj[y] < aj[x]) { oj[q] = bj[y]; ov[q++] = wb * bv[y++]; }
      else { oj[q] = aj[x]; ov[q++] = wa * av[x++] + wb * bv[y++]; }
    }
    op_[r + 1] = q;
  }
  if (renorm) {
    const dinv = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let deg = 0;
      for (let e = op_[r]; e < op_[r + 1]; e++) deg += ov[e];
      const d = Math.pow(deg, -0.5);
      dinv[r] = d === Infinity ? 0 : d;
    }
    for (let r = 0; r < n; r++) for (let e = op_[r]; e < op_[r + 1]; e++) ov[e] = dinv[r] * ov[e] * dinv[oj[e]];
  }
  const vals = a.dtype === 'float64' ? ov.slice(0, q) : Float32Array.from(ov.subarray(0, q));
  return CsrMatrix.fromCsr(n, a.nCols, op_, oj.slice(0, q), vals);
}
