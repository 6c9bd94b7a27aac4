/**
 * maxPoolFusion: SMORE's fusion graph S_f (smore.md §2.3). Its support is the union of the supports
 * of Sv and St; an entry present in both takes the larger value, an entry present in one keeps it.
 * Not renormalized. Both inputs must have the same shape and dtype; the result is coalesced.
 * No gradient: a constant graph.
 */
import { check } from '../errors';
import { CsrMatrix } from '../sparse/csr';

export function maxPoolFusion(sv: CsrMatrix, st: CsrMatrix): CsrMatrix {
  const op = 'maxPoolFusion';
  sv.assertLive(op);
  st.assertLive(op);
  check(sv.nRows === st.nRows && sv.nCols === st.nCols, 'MMG_E_SHAPE',
    `${op}: expected Sv and St of the same shape, got ${sv.nRows}x${sv.nCols} and ${st.nRows}x${st.nCols}`);
  check(sv.dtype === st.dtype, 'MMG_E_DTYPE', `${op}: expected Sv and St to share a dtype, got ${sv.dtype} and ${st.dtype}`);
  const ap = sv.indptr.data() as Int32Array, aj = sv.indices.data() as Int32Array, av = sv.values.data() as Float32Array | Float64Array;
  const bp = st.indptr.data() as Int32Array, bj = st.indices.data() as Int32Array, bv = st.values.data() as Float32Array | Float64Array;
  const n = sv.nRows;
  const op_ = new Int32Array(n + 1);
  const oj = new Int32Array(sv.nnz + st.nnz);
  const ov = sv.dtype === 'float64' ? new Float64Array(oj.length) : new Float32Array(oj.length);
  let q = 0;
  // Merge two column-sorted rows (CsrMatrix rows are coalesced).
  for (let r = 0; r < n; r++) {
    let a = ap[r], b = bp[r];
    const ae = ap[r + 1], be = bp[r + 1];
    while (a < ae || b < be) {
      if (b >= be || (a < ae && aj[a] < bj[b])) { oj[q] = aj[a]; ov[q++] = av[a++]; }
      else if (a >= ae || bj[b] < aj[a]) { oj[q] = bj[b]; ov[q++] = bv[b++]; }
      else { oj[q] = aj[a]; ov[q++] = Math.max(av[a++], bv[b++]); }
    }
    op_[r + 1] = q;
  }
  return CsrMatrix.fromCsr(n, sv.nCols, op_, oj.slice(0, q), ov.slice(0, q));
}
